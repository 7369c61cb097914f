import MPTCPKit

/// Aligned plain-text columns, like `ss` and `ps` print: text left, numbers right.
///
/// Cells are kept as bytes, back to back in one buffer, each with its bounds and width: a
/// writer formats a cell straight into it (`plainCell { $0.append(rate: r) }`), and rendering
/// copies the bytes out between the padding, so a table of any size is built without a String
/// per cell. `mptop --once` writes one table per connection and its subflows, and clears it
/// for the next (`removeAllRows`) instead of making another.
public struct TextTable {
    public enum Alignment { case left, right }

    public let headers: [String]
    public let alignments: [Alignment]
    /// Spaces before every line (nested tables).
    public var indent = 0
    /// The headers' bytes, then every cell's (escaped for the terminal), back to back.
    private var text: [UInt8] = []
    /// Each cell (the headers first): where its bytes are in `text`, and its width in
    /// characters, measured once when it ends.
    private var cells: [Cell] = []
    /// Where each row (the headers first) ends in `cells`.
    private var rowEnds: [Int] = []

    private struct Cell {
        var start: Int
        var end: Int
        var width: Int
    }

    public init(_ columns: [(String, Alignment)]) {
        headers = columns.map(\.0)
        alignments = columns.map(\.1)
        // The headers are mptop's own words: measured, not escaped.
        for h in headers {
            let start = text.count
            text.append(utf8: h)
            cells.append(Cell(start: start, end: text.count, width: Self.plainASCIIWidth(h) ?? h.count))
        }
        rowEnds.append(cells.count)
    }

    /// Adds a row. Cells are escaped for the terminal here, before the widths are measured:
    /// they hold names from users and the kernel (process, interface), and a control character
    /// in one would move the cursor or forge a line.
    public mutating func add(_ row: [String]) {
        for cell in row { self.cell { $0.append(utf8: cell) } }
        endRow()
    }

    /// Adds a cell to the current row: `write` appends its text as UTF-8. Escaped for the
    /// terminal and measured as `add` does.
    @inline(__always)
    public mutating func cell(_ write: (inout [UInt8]) -> Void) {
        let start = text.count
        write(&text)
        endCell(from: start)
    }

    /// Adds a cell of mptop's own making to the current row (digits, units, addresses, hex,
    /// fixed words): printable ASCII by construction, so it is measured without a look at
    /// its bytes. Anything that may hold a name goes through `cell`.
    @inline(__always)
    public mutating func plainCell(_ write: (inout [UInt8]) -> Void) {
        let start = text.count
        write(&text)
        assert(text[start...].allSatisfy { $0 &- 0x20 < 0x5f }, "a plain cell holds only printable ASCII")
        cells.append(Cell(start: start, end: text.count, width: text.count - start))
    }

    /// Ends the current row (after its cells).
    public mutating func endRow() { rowEnds.append(cells.count) }

    /// Forgets every row but the headers, keeping the storage for the next rows.
    public mutating func removeAllRows() {
        let headerCells = rowEnds[0]
        text.removeSubrange((headerCells == 0 ? 0 : cells[headerCells - 1].end)...)
        cells.removeSubrange(headerCells...)
        rowEnds.removeSubrange(1...)
    }

    @inline(__always)
    private mutating func endCell(from start: Int) {
        let end = text.count
        var plain = true
        text.withUnsafeBufferPointer { t in
            // Printable ASCII is 0x20...0x7e: nothing to escape, one character a byte.
            for k in start..<end where t[k] &- 0x20 >= 0x5f { plain = false; break }
        }
        if plain {
            cells.append(Cell(start: start, end: end, width: end - start))
        } else {
            // Rare (a name that is not plain ASCII): escaped, and measured in characters.
            let escaped = String(decoding: text[start...], as: UTF8.self).escapedForTerminal
            text.removeSubrange(start...)
            text.append(utf8: escaped)
            cells.append(Cell(start: start, end: text.count, width: escaped.count))
        }
    }

    /// The width of a cell that is all printable ASCII (one character a byte, nothing to
    /// escape), without counting characters; nil for any other cell. Nearly every cell is.
    static func plainASCIIWidth(_ s: String) -> Int? {
        for b in s.utf8 where b >= 0x80 || Unicode.Scalar(b).isTerminalControl { return nil }
        return s.utf8.count
    }

    public func render() -> [String] {
        var bytes: [UInt8] = []
        render(into: &bytes)
        // Every line ends in a newline and none holds one (cells are escaped).
        return bytes.split(separator: 0x0a, omittingEmptySubsequences: false).dropLast().map { String(decoding: $0, as: UTF8.self) }
    }

    /// Appends the table to `buffer` as UTF-8, each line (the headers first) ending in a newline.
    public func render(into buffer: inout [UInt8]) {
        let columns = headers.count
        withUnsafeTemporaryAllocation(of: Int.self, capacity: columns) { widths in
            cells.withUnsafeBufferPointer { cells in
                // Each column as wide as its widest cell (a row longer than the headers has
                // its extra cells left out).
                widths.initialize(repeating: 0)
                var rowStart = 0
                for rowEnd in rowEnds {
                    for i in 0..<min(rowEnd - rowStart, columns) { widths[i] = max(widths[i], cells[rowStart + i].width) }
                    rowStart = rowEnd
                }
                // The lines go into the buffer as spaces first, the table's exact size, then
                // each cell's bytes are copied over them where they belong: padding, indent and
                // separators are already there, and the buffer grows once per table instead of
                // once per piece.
                let total = layout(cells, UnsafeBufferPointer(widths)) { _, _ in }
                let start = buffer.count
                buffer.append(spaces: total)
                text.withUnsafeBufferPointer { text in
                    buffer.withUnsafeMutableBufferPointer { out in
                        let base = out.baseAddress! + start
                        _ = layout(cells, UnsafeBufferPointer(widths)) { offset, cell in
                            guard offset >= 0 else { base[-offset - 1] = 0x0a; return }
                            let count = cell.end - cell.start
                            guard count > 0 else { return }
                            let to = base + offset, source = text.baseAddress! + cell.start
                            // Most cells are a few bytes: a loop beats a call to memmove for them.
                            if count <= 16 {
                                for k in 0..<count { to[k] = source[k] }
                            } else {
                                to.update(from: source, count: count)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Walks the lines as `render` writes them: hands `place` each cell's offset from the
    /// table's start (and the cell), and each newline as the negative offset -(offset + 1)
    /// (with the first cell, unused); returns the table's size in bytes. Everything between is
    /// spaces.
    @inline(__always)
    private func layout(_ cells: UnsafeBufferPointer<Cell>, _ widths: UnsafeBufferPointer<Int>,
                        _ place: (_ offset: Int, _ cell: Cell) -> Void) -> Int {
        let columns = headers.count
        var offset = 0
        var rowStart = 0
        for rowEnd in rowEnds {
            offset += indent
            let count = rowEnd - rowStart
            for i in 0..<min(count, columns) {
                let cell = cells[rowStart + i]
                let fill = widths[i] - cell.width
                let last = i == count - 1
                if alignments[i] == .left {
                    place(offset, cell)
                    offset += cell.end - cell.start
                    if !last { offset += fill }
                } else {
                    offset += fill
                    place(offset, cell)
                    offset += cell.end - cell.start
                }
                if !last { offset += 2 }
            }
            place(-(offset + 1), Cell(start: 0, end: 0, width: 0))
            offset += 1
            rowStart = rowEnd
        }
        return offset
    }
}
