/// Aligned plain-text columns, like `ss` and `ps` print: text left, numbers right.
public struct TextTable {
    public enum Alignment { case left, right }

    public let headers: [String]
    public let alignments: [Alignment]
    public private(set) var rows: [[String]] = []
    /// Spaces before every line (nested tables).
    public var indent = 0

    public init(_ columns: [(String, Alignment)]) {
        headers = columns.map(\.0)
        alignments = columns.map(\.1)
    }

    /// Adds a row. Cells are escaped for the terminal here, before the widths are measured:
    /// they hold names from users and the kernel (process, interface), and a control character
    /// in one would move the cursor or forge a line.
    public mutating func add(_ row: [String]) { rows.append(row.map(\.escapedForTerminal)) }

    public func render() -> [String] {
        var widths = headers.map(\.count)
        for r in rows {
            for (i, cell) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        let pad = String(repeating: " ", count: indent)
        return ([headers] + rows).map { row in
            var line = pad
            for (i, cell) in row.enumerated() where i < widths.count {
                let fill = String(repeating: " ", count: widths[i] - cell.count)
                let last = i == row.count - 1
                switch alignments[i] {
                case .left: line += cell + (last ? "" : fill)
                case .right: line += fill + cell
                }
                if !last { line += "  " }
            }
            return line
        }
    }
}
