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
    /// Where each row (the headers first) ends in `cells`.
    private var rowEnds: [Int] = []
    /// Bit i set: column i is aligned right.
    private let rightAligned: UInt64
    /// The rendered lines, before they are appended to the caller's buffer in one copy.
    private var lines = GrowingBuffer<UInt8>(capacity: 1024)
    /// A cell that `cell` writes as an array (names: unbounded, escaped after).
    private var scratch: [UInt8] = []

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
        // The headers are mptop's own words: measured, not escaped.
        for h in headers {
            let start = text.count
            copy(h)
            cells.append(Cell(start: start, count: text.count - start, width: Self.plainASCIIWidth(h) ?? h.count))
        }
        rowEnds.append(cells.count)
    }

    /// Adds a row. Cells are escaped for the terminal here, before the widths are measured:
    /// they hold names from users and the kernel (process, interface), and a control character
    /// in one would move the cursor or forge a line.
    public mutating func add(_ row: [String]) {
        for cell in row { self.cell(utf8: cell) }
        endRow()
    }

    /// Adds a cell to the current row: `write` appends its text as UTF-8 (of any length). Escaped
    /// for the terminal and measured as `add` does.
    public mutating func cell(_ write: (inout [UInt8]) -> Void) {
        scratch.removeAll(keepingCapacity: true)
        write(&scratch)
        let start = text.count
        scratch.withUnsafeBufferPointer { text.append(contentsOf: $0) }
        endCell(from: start)
    }

    /// Adds a cell holding `s` (a name), escaped and measured as `add` does.
    public mutating func cell(utf8 s: String) {
        let start = text.count
        copy(s)
        endCell(from: start)
    }

    /// Adds a cell of mptop's own making to the current row (digits, units, addresses, hex,
    /// fixed words), written into `TextRoom.cellSize` bytes of the table's storage: printable
    /// ASCII by construction, so it is measured without a look at its bytes. Anything that may
    /// hold a name goes through `cell`.
    @inline(__always)
    public mutating func plainCell(_ write: (inout TextRoom) -> Void) {
        let start = text.count
        var room = TextRoom(UnsafeMutableBufferPointer(start: text.reserve(TextRoom.cellSize), count: TextRoom.cellSize))
        write(&room)
        text.advance(room.count)
        assert(text.elements[start...].allSatisfy { $0 &- 0x20 < 0x5f }, "a plain cell holds only printable ASCII")
        cells.append(Cell(start: start, count: room.count, width: room.count))
    }

    /// Ends the current row (after its cells).
    public mutating func endRow() { rowEnds.append(cells.count) }

    /// Forgets every row but the headers, keeping the storage for the next rows.
    public mutating func removeAllRows() {
        let headerCells = rowEnds[0]
        let headerEnd = headerCells == 0 ? 0 : cells.elements[headerCells - 1].start + cells.elements[headerCells - 1].count
        text.removeSuffix(from: headerEnd)
        cells.removeSuffix(from: headerCells)
        rowEnds.removeSubrange(1...)
    }

    /// Appends the bytes of `s` to `text`.
    private mutating func copy(_ s: String) {
        var s = s
        s.withUTF8 { text.append(contentsOf: $0) }
    }

    private mutating func endCell(from start: Int) {
        let end = text.count
        var plain = true
        // Printable ASCII is 0x20...0x7e: nothing to escape, one character a byte.
        for b in text.elements[start..<end] where b &- 0x20 >= 0x5f { plain = false; break }
        if plain {
            cells.append(Cell(start: start, count: end - start, width: end - start))
        } else {
            // Rare (a name that is not plain ASCII): escaped, and measured in characters.
            let escaped = String(decoding: text.elements[start..<end], as: UTF8.self).escapedForTerminal
            text.removeSuffix(from: start)
            copy(escaped)
            cells.append(Cell(start: start, count: text.count - start, width: escaped.count))
        }
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
    /// One walk writes the lines into the table's own storage, then they are appended in one
    /// copy. Runs of spaces are stored 8 bytes at a time, past their end into what the next
    /// piece overwrites (the storage keeps 8 bytes to spare), and short cells in a few
    /// overlapping loads and stores (`ByteCursor.copyShort`): about 7 instructions a byte of
    /// `mptop --once`'s tables.
    public mutating func render(into buffer: inout [UInt8]) {
        let columns = headers.count
        let rows = rowEnds.count
        let indent = Swift.max(0, self.indent)
        withUnsafeTemporaryAllocation(of: Int.self, capacity: Swift.max(columns, 1)) { widths in
            let cells = self.cells.elements
            // Each column as wide as its widest cell (a row longer than the headers has
            // its extra cells left out), and what the cells shown hold in bytes beyond their
            // widths (names that are not ASCII).
            widths.initialize(repeating: 0)
            var extraBytes = 0
            var rowStart = 0
            for rowEnd in rowEnds {
                for i in 0..<Swift.min(rowEnd - rowStart, columns) {
                    let cell = cells[rowStart + i]
                    widths[i] = Swift.max(widths[i], cell.width)
                    extraBytes += cell.count - cell.width
                }
                rowStart = rowEnd
            }
            // At most every column at its width and its separator on every line, plus those bytes.
            var lineBound = indent + 1
            for w in widths { lineBound += w + 2 }
            let bound = rows * lineBound + extraBytes + 8
            lines.removeSuffix(from: 0)
            let base = lines.reserve(bound)
            let text = UnsafeRawPointer(self.text.base)
            let right = rightAligned
            var p = UnsafeMutableRawPointer(base)
            @inline(__always) func spaces(_ n: Int) {
                var k = 0
                while k < n { p.storeBytes(of: 0x2020_2020_2020_2020 as UInt64, toByteOffset: k, as: UInt64.self); k += 8 }
                p += n
            }
            rowStart = 0
            for rowEnd in rowEnds {
                spaces(indent)
                let count = rowEnd - rowStart
                for i in 0..<Swift.min(count, columns) {
                    let cell = cells[rowStart + i]
                    let fill = widths[i] - cell.width
                    let last = i == count - 1
                    if right >> UInt64(i) & 1 != 0 { spaces(fill) }
                    ByteCursor.copyShort(UnsafeRawBufferPointer(start: text + cell.start, count: cell.count),
                                         to: UnsafeMutableRawBufferPointer(start: p, count: cell.count))
                    p += cell.count
                    if !last {
                        if right >> UInt64(i) & 1 == 0 { spaces(fill) }
                        spaces(2)
                    }
                }
                p.storeBytes(of: 0x0a, as: UInt8.self)
                p += 1
                rowStart = rowEnd
            }
            let written = p - UnsafeMutableRawPointer(base)
            precondition(written + 8 <= bound, "a table's lines outgrew their bound")
            lines.advance(written)
        }
        buffer.append(contentsOf: lines.elements)
    }
}
