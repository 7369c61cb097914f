import MPTCPKit

/// Aligned plain-text columns, like `ss` and `ps` print: text left, numbers right.
public struct TextTable {
    public enum Alignment { case left, right }

    public let headers: [String]
    public let alignments: [Alignment]
    public private(set) var rows: [[String]] = []
    /// Each row's cell widths in characters, measured once in `add`.
    private var cellWidths: [[Int]] = []
    /// Spaces before every line (nested tables).
    public var indent = 0

    public init(_ columns: [(String, Alignment)]) {
        headers = columns.map(\.0)
        alignments = columns.map(\.1)
    }

    /// Adds a row. Cells are escaped for the terminal here, before the widths are measured:
    /// they hold names from users and the kernel (process, interface), and a control character
    /// in one would move the cursor or forge a line.
    public mutating func add(_ row: [String]) {
        var cells = row
        var widths: [Int] = []
        widths.reserveCapacity(row.count)
        for i in cells.indices {
            if let w = Self.plainASCIIWidth(cells[i]) {
                widths.append(w)
            } else {
                cells[i] = cells[i].escapedForTerminal
                widths.append(cells[i].count)
            }
        }
        rows.append(cells)
        cellWidths.append(widths)
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
        let headerWidths = headers.map { Self.plainASCIIWidth($0) ?? $0.count }
        var widths = headerWidths
        for r in cellWidths {
            for (i, w) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], w) }
        }
        line(headers, headerWidths, widths, &buffer)
        for (row, rowWidths) in zip(rows, cellWidths) { line(row, rowWidths, widths, &buffer) }
    }

    private func line(_ row: [String], _ cellWidths: [Int], _ widths: [Int], _ out: inout [UInt8]) {
        out.append(spaces: indent)
        for (i, cell) in row.enumerated() where i < widths.count {
            let fill = widths[i] - cellWidths[i]
            let last = i == row.count - 1
            switch alignments[i] {
            case .left:
                out.append(utf8: cell)
                if !last { out.append(spaces: fill) }
            case .right:
                out.append(spaces: fill)
                out.append(utf8: cell)
            }
            if !last { out.append(contentsOf: [0x20, 0x20]) }
        }
        out.append(0x0a)
    }
}
