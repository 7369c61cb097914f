import MPTCPKit

/// Aligned plain-text columns, like `ss` and `ps` print: text left, numbers right.
///
/// Cells are kept as bytes, back to back in one buffer, with where each ends and how wide it
/// is: a writer formats a cell straight into it (`cell { $0.append(rate: r) }`), and rendering
/// copies the bytes out with the padding, so a table of any size is built without a String
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
    /// Where each cell (the headers first) ends in `text`; the next one starts there.
    private var cellEnds: [Int] = []
    /// Each cell's width in characters, measured once when it ends.
    private var cellWidths: [Int] = []
    /// Where each row (the headers first) ends in `cellEnds`.
    private var rowEnds: [Int] = []

    public init(_ columns: [(String, Alignment)]) {
        headers = columns.map(\.0)
        alignments = columns.map(\.1)
        // The headers are mptop's own words: measured, not escaped.
        for h in headers {
            text.append(utf8: h)
            cellEnds.append(text.count)
            cellWidths.append(Self.plainASCIIWidth(h) ?? h.count)
        }
        rowEnds.append(cellEnds.count)
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

    /// Ends the current row (after its cells).
    public mutating func endRow() { rowEnds.append(cellEnds.count) }

    /// Forgets every row but the headers, keeping the storage for the next rows.
    public mutating func removeAllRows() {
        let headerCells = rowEnds[0]
        text.removeSubrange((headerCells == 0 ? 0 : cellEnds[headerCells - 1])...)
        cellEnds.removeSubrange(headerCells...)
        cellWidths.removeSubrange(headerCells...)
        rowEnds.removeSubrange(1...)
    }

    private mutating func endCell(from start: Int) {
        let end = text.count
        let plain = text.withUnsafeBufferPointer { t in
            !t[start..<end].contains { $0 >= 0x80 || Unicode.Scalar($0).isTerminalControl }
        }
        if plain {
            cellWidths.append(end - start)
        } else {
            // Rare (a name that is not plain ASCII): escaped, and measured in characters.
            let escaped = String(decoding: text[start...], as: UTF8.self).escapedForTerminal
            text.removeSubrange(start...)
            text.append(utf8: escaped)
            cellWidths.append(escaped.count)
        }
        cellEnds.append(text.count)
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
        // Each column as wide as its widest cell (a row longer than the headers has its extra
        // cells left out).
        var widths = [Int](repeating: 0, count: columns)
        var rowStart = 0
        for rowEnd in rowEnds {
            for (i, c) in (rowStart..<rowEnd).enumerated() where i < columns { widths[i] = max(widths[i], cellWidths[c]) }
            rowStart = rowEnd
        }
        // The lines go into the buffer as spaces first, the table's exact size, then each
        // cell's bytes are copied over them where they belong: padding, indent and separators
        // are already there, and the buffer grows once per table instead of once per piece.
        let total = layout(widths) { _, _ in }
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(0x20, count: total))
        text.withUnsafeBufferPointer { text in
            buffer.withUnsafeMutableBufferPointer { out in
                _ = layout(widths) { offset, cell in
                    if offset < 0 {
                        out[start - offset - 1] = 0x0a
                    } else {
                        let from = cell == 0 ? 0 : cellEnds[cell - 1]
                        guard cellEnds[cell] > from else { return }
                        (out.baseAddress! + start + offset).update(from: text.baseAddress! + from, count: cellEnds[cell] - from)
                    }
                }
            }
        }
    }

    /// Walks the lines as `render` writes them: hands `place` each cell's offset from the
    /// table's start (and the cell), and each newline as the negative offset -(offset + 1);
    /// returns the table's size in bytes. Everything between is spaces.
    private func layout(_ widths: [Int], _ place: (_ offset: Int, _ cell: Int) -> Void) -> Int {
        let columns = headers.count
        var offset = 0
        var rowStart = 0
        for rowEnd in rowEnds {
            offset += indent
            let count = rowEnd - rowStart
            for i in 0..<count where i < columns {
                let c = rowStart + i
                let bytes = cellEnds[c] - (c == 0 ? 0 : cellEnds[c - 1])
                let fill = widths[i] - cellWidths[c]
                let last = i == count - 1
                switch alignments[i] {
                case .left:
                    place(offset, c)
                    offset += bytes
                    if !last { offset += fill }
                case .right:
                    offset += fill
                    place(offset, c)
                    offset += bytes
                }
                if !last { offset += 2 }
            }
            place(-(offset + 1), 0)
            offset += 1
            rowStart = rowEnd
        }
        return offset
    }
}
