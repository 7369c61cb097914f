#if canImport(Glibc)
import Glibc
#endif
import MPTCPKit

/// Aligned plain-text columns, like `ss` and `ps` print: text left, numbers right.
///
/// Cells are kept as bytes, back to back in one buffer, each with its bounds and width: a
/// writer formats a cell straight into it (`plainCell { $0.append(rate: r) }`), and rendering
/// copies the bytes out between the padding, so a table of any size is built without a String
/// per cell. `mptop --once` writes one table per connection and its subflows, and clears it
/// for the next (`removeAllRows`) instead of making another.
public struct TextTable: ~Copyable {
    public enum Alignment { case left, right }

    public let headers: [String]
    public let alignments: [Alignment]
    /// Spaces before every line (nested tables).
    public var indent = 0
    /// The headers' bytes, then every cell's (escaped for the terminal), back to back.
    private var text = GrowingBuffer<UInt8>(capacity: 1024)
    /// Each cell (the headers first): where its bytes are in `text`, and its width in
    /// characters, measured once when it ends.
    private var cells = GrowingBuffer<Cell>(capacity: 64)
    /// Where each row (the headers first) ends in `cells`, and where the row being written
    /// starts.
    private var rowEnds = GrowingBuffer<Int>(capacity: 16)
    private var rowStart = 0
    /// `headers.count`, kept where the cell writers read it.
    private let columns: Int
    /// Where the cell being written starts in `text` (the end of the last one).
    private var cellStart = 0
    /// Each column's width so far (its widest cell, the header's included), kept as cells
    /// end so that rendering does not walk the cells twice; and the headers' widths, which
    /// `removeAllRows` goes back to.
    private var widths: GrowingBuffer<Int>
    private var headerWidths: [Int] = []
    /// What the cells shown hold in bytes beyond their widths (names that are not ASCII), and
    /// what the headers alone do.
    private var extraBytes = 0
    private var headerExtraBytes = 0
    /// Bit i set: column i is aligned right.
    private let rightAligned: UInt64
    /// The rendered lines, before they are appended to the caller's buffer in one copy.
    private var lines = GrowingBuffer<UInt8>(capacity: 1024)
    /// The last layout: the widths and indent it is for, where each column's cells go on a
    /// line (`place`), and the header line laid out. Every connection's table in `mptop
    /// --once` has the same headers, and mostly the same widths.
    private var laidOutWidths: GrowingBuffer<Int>
    private var laidOutIndent = -1
    /// A left-aligned cell of column i goes at `place[i]`, a right-aligned one its width before
    /// `place[i]` (the column's end): `place[columns + i]`, all ones for those, takes it off.
    /// `place[2 * columns]` is where a line that shows every column, with its separator, ends.
    private var place: GrowingBuffer<Int>
    private var headerLine = GrowingBuffer<UInt8>(capacity: 256)

    /// Internal, not private: with a private one, Swift 6.3 fails to compile (a broken module)
    /// the files that use the table.
    struct Cell {
        var start: Int
        var count: Int
        var width: Int
    }

    public init(_ columns: [(String, Alignment)]) {
        precondition(columns.count <= 64, "a text table has at most 64 columns")
        headers = columns.map(\.0)
        alignments = columns.map(\.1)
        var right: UInt64 = 0
        for (i, c) in columns.enumerated() where c.1 == .right { right |= 1 << UInt64(i) }
        rightAligned = right
        self.columns = columns.count
        widths = GrowingBuffer(capacity: columns.count)
        laidOutWidths = GrowingBuffer(capacity: columns.count)
        place = GrowingBuffer(capacity: 2 * columns.count + 1)
        // The headers are mptop's own words: measured, not escaped.
        for h in headers {
            let start = text.count
            copy(h)
            let width = Self.plainASCIIWidth(h) ?? h.count
            cells.append(Cell(start: start, count: text.count - start, width: width))
            headerWidths.append(width)
            widths.append(width)
            headerExtraBytes += text.count - start - width
        }
        extraBytes = headerExtraBytes
        cellStart = text.count
        rowEnds.append(cells.count)
        rowStart = cells.count
    }

    /// Adds a row. Cells are escaped for the terminal here, before the widths are measured:
    /// they hold names from users and the kernel (process, interface), and a control character
    /// in one would move the cursor or forge a line.
    public mutating func add(_ row: [String]) {
        for cell in row { self.cell(utf8: cell) }
        endRow()
    }

    /// Adds a cell holding `s` (a name), escaped and measured as `add` does.
    public mutating func cell(utf8 s: String) {
        write(utf8: s)
        endCell()
    }

    /// Appends `s` (a name, or part of one) to the cell being written, which `endCell` ends:
    /// escaped and measured then, as `add` does.
    public mutating func write(utf8 s: String) { copy(s) }

    /// Appends text of mptop's own making (`write` fills a `TextRoom`) to the cell being
    /// written, which `endCell` ends.
    @inline(__always)
    public mutating func write(_ write: (inout TextRoom) -> Void) {
        var room = TextRoom(UnsafeMutableBufferPointer(start: text.reserve(TextRoom.cellSize), count: TextRoom.cellSize))
        write(&room)
        text.advance(room.count)
    }

    /// Adds a cell of mptop's own making to the current row (digits, units, addresses, hex,
    /// fixed words), written into `TextRoom.cellSize` bytes of the table's storage: printable
    /// ASCII by construction, so it is measured without a look at its bytes. Anything that may
    /// hold a name goes through `cell` or `write(utf8:)`.
    @inline(__always)
    public mutating func plainCell(_ write: (inout TextRoom) -> Void) {
        assert(cellStart == text.count, "a plain cell after an unended one")
        self.write(write)
        assert(text.elements[cellStart...].allSatisfy { $0 &- 0x20 < 0x5f }, "a plain cell holds only printable ASCII")
        let count = text.count &- cellStart
        append(Cell(start: cellStart, count: count, width: count))
    }

    /// Ends the cell that `write` calls wrote, escaping it for the terminal.
    public mutating func endCell() {
        let start = cellStart, end = text.count
        var plain = true
        // Printable ASCII is 0x20...0x7e: nothing to escape, one character a byte.
        for b in text.elements[start..<end] where b &- 0x20 >= 0x5f { plain = false; break }
        if plain {
            append(Cell(start: start, count: end - start, width: end - start))
        } else {
            // Rare (a name that is not plain ASCII): escaped, and measured in characters.
            let escaped = String(decoding: text.elements[start..<end], as: UTF8.self).escapedForTerminal
            text.removeSuffix(from: start)
            copy(escaped)
            append(Cell(start: start, count: text.count - start, width: escaped.count))
        }
    }

    /// Ends the current row (after its cells).
    public mutating func endRow() {
        rowEnds.append(cells.count)
        rowStart = cells.count
    }

    /// Forgets every row but the headers, keeping the storage for the next rows.
    public mutating func removeAllRows() {
        let headerCells = rowEnds.elements[0]
        let headerEnd = headerCells == 0 ? 0 : cells.elements[headerCells - 1].start + cells.elements[headerCells - 1].count
        text.removeSuffix(from: headerEnd)
        cells.removeSuffix(from: headerCells)
        rowEnds.removeSuffix(from: 1)
        rowStart = headerCells
        cellStart = headerEnd
        widths.base.update(from: headerWidths, count: columns)
        extraBytes = headerExtraBytes
    }

    /// Adds `cell` to the current row, widening its column (a row longer than the headers
    /// has its extra cells left out: they widen nothing).
    @inline(__always)
    private mutating func append(_ cell: Cell) {
        let column = cells.count &- rowStart
        cells.append(cell)
        cellStart = text.count
        if column < columns {
            widths.base[column] = Swift.max(widths.base[column], cell.width)
            extraBytes &+= cell.count &- cell.width
        }
    }

    /// Appends the bytes of `s` to `text`.
    private mutating func copy(_ s: String) {
        // From the string's own bytes (a native string's, a small one's on the stack): `withUTF8`
        // takes a copy of the string first, and its retain and release.
        if s.utf8.withContiguousStorageIfAvailable({ text.append(bytes: $0) }) != nil { return }
        var s = s
        s.withUTF8 { text.append(bytes: $0) }
    }

    /// The width of a cell that is all printable ASCII (one character a byte, nothing to
    /// escape), without counting characters; nil for any other cell. Nearly every cell is.
    static func plainASCIIWidth(_ s: String) -> Int? {
        for b in s.utf8 where b >= 0x80 || Unicode.Scalar(b).isTerminalControl { return nil }
        return s.utf8.count
    }

    public mutating func render() -> [String] {
        var bytes: [UInt8] = []
        render(into: &bytes)
        // Every line ends in a newline and none holds one (cells are escaped).
        return bytes.split(separator: 0x0a, omittingEmptySubsequences: false).dropLast().map { String(decoding: $0, as: UTF8.self) }
    }

    /// Appends the table to `buffer` as UTF-8, each line (the headers first) ending in a newline.
    ///
    /// The lines are laid out in the table's own storage, then appended in one copy. That
    /// storage is filled with spaces first (one `memset`), so laying a line out is copying
    /// each cell to its column's place (`ShortCopy.copy`, a few overlapping loads and
    /// stores) and a newline after the last: no run of padding is written cell by cell. The
    /// layout (where each column's cells go) and the header line are the last render's while
    /// the widths and the indent are the same.
    public mutating func render(into buffer: inout [UInt8]) {
        let columns = self.columns
        let indent = Swift.max(0, self.indent)
        let sameLayout = laidOutIndent == indent && laidOutWidths.count == columns
            && memcmp(laidOutWidths.base, widths.base, columns * MemoryLayout<Int>.stride) == 0
        if !sameLayout { layOut(indent: indent) }
        let place = self.place.base
        // At most every column at its width and its separator on every line, plus a newline
        // and the bytes beyond the widths.
        let bound = rowEnds.count * (place[2 * columns] + 1) + extraBytes
        lines.removeSuffix(from: 0)
        let base = lines.reserve(bound)
        base.initialize(repeating: 0x20, count: bound)
        var p = base
        var first = 0
        if sameLayout {
            p.update(from: headerLine.base, count: headerLine.count)
            p += headerLine.count
            first = 1
        }
        let cells = self.cells.elements
        let text = UnsafeRawPointer(self.text.base)
        let ends = rowEnds.elements
        for row in first..<ends.count {
            let rowStart = row == 0 ? 0 : ends[row - 1], count = ends[row] - rowStart
            // Bytes beyond the widths so far on this line: they move what follows.
            var shift = 0
            var end = indent
            for i in 0..<Swift.min(count, columns) {
                let cell = cells[rowStart &+ i]
                let column = place[i] &+ shift &- (cell.width & place[columns &+ i])
                ShortCopy.copy(UnsafeRawBufferPointer(start: text + cell.start, count: cell.count),
                               to: UnsafeMutableRawBufferPointer(start: p + column, count: cell.count))
                end = column &+ cell.count
                shift &+= cell.count &- cell.width
            }
            // A row longer than the headers ends after its last column shown, padded, and a separator.
            if count > columns { end = place[2 * columns] + shift }
            p[end] = 0x0a
            p += end + 1
            if row == 0 {
                headerLine.removeSuffix(from: 0)
                headerLine.append(contentsOf: UnsafeBufferPointer(start: base, count: p - base))
            }
        }
        let written = p - base
        precondition(written <= bound, "a table's lines outgrew their bound")
        lines.advance(written)
        buffer.append(contentsOf: lines.elements)
    }

    /// Works out `place` for the widths and `indent`, and keeps what it is for (the header
    /// line is laid out by the next render).
    private mutating func layOut(indent: Int) {
        place.removeSuffix(from: 0)
        let to = place.reserve(2 * columns + 1)
        var at = indent
        for i in 0..<columns {
            let right = rightAligned >> UInt64(i) & 1 != 0
            to[i] = right ? at + widths.base[i] : at
            to[columns + i] = right ? ~0 : 0
            at += widths.base[i] + 2
        }
        to[2 * columns] = at
        place.advance(2 * columns + 1)
        laidOutWidths.removeSuffix(from: 0)
        laidOutWidths.append(contentsOf: UnsafeBufferPointer(start: widths.base, count: columns))
        laidOutIndent = indent
    }
}
