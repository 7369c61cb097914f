import MPTCPKit

/// The screen as values: what the dashboard draws, before any terminal is involved.
///
/// Everything but the ncurses driver renders into a grid, so layouts are tested as text (golden
/// frames) and the driver only flushes rows that changed. Writes outside the grid are clipped.
public struct CellGrid: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, fill: Cell = Cell()) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: fill, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Writes `text` from column `x` on row `y`, clipped to `limit` columns (and the grid).
    /// Characters a terminal cannot show in one cell (controls, wide or combining ones) become '?',
    /// so a process name can never shift the columns after it. Returns the column after the text.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style, limit: Int = .max) -> Int {
        guard y >= 0, y < height else { return x }
        let end = min(width, limit == .max ? width : x + max(0, limit))
        var col = x
        for scalar in text.unicodeScalars {
            guard col < end else { break }
            if col >= 0 { self[col, y] = Cell(CellGrid.printable(scalar), style) }
            col += 1
        }
        return col
    }

    /// Fills `count` cells of row `y` from column `x` with `character`.
    public mutating func fill(_ character: Unicode.Scalar, x: Int, y: Int, count: Int, style: Style) {
        guard y >= 0, y < height else { return }
        for col in max(0, x)..<max(max(0, x), min(width, x + count)) { self[col, y] = Cell(character, style) }
    }

    /// Re-styles `count` cells of row `y` (keeps the characters), e.g. to highlight a selection.
    public mutating func restyle(x: Int, y: Int, count: Int, _ change: (inout Style) -> Void) {
        guard y >= 0, y < height else { return }
        for col in max(0, x)..<max(max(0, x), min(width, x + count)) { change(&cells[y * width + col].style) }
    }

    /// Row `y` as plain text, trailing spaces kept (golden frames compare whole rows).
    public func rowText(_ y: Int) -> String {
        var s = String.UnicodeScalarView()
        for x in 0..<width { s.append(self[x, y].character) }
        return String(s)
    }

    /// The whole grid as text, one line per row, trailing spaces trimmed for readable diffs.
    public var text: String {
        (0..<height).map { y in
            var line = rowText(y)
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }

    /// Whether row `y` differs from the same row of `other` (the driver's flush diff).
    public func rowDiffers(_ y: Int, from other: CellGrid) -> Bool {
        guard other.width == width, other.height == height else { return true }
        let start = y * width
        return cells[start..<(start + width)] != other.cells[start..<(start + width)]
    }

    static func printable(_ s: Unicode.Scalar) -> Unicode.Scalar {
        let v = s.value
        if s.isTerminalControl { return "?" }
        if v < 0x300 { return s }
        // Combining marks and East Asian wide ranges would break the one-scalar-per-cell rule.
        if (0x300...0x36f).contains(v) || (0x1100...0x115f).contains(v) || (0x2e80...0xa4cf).contains(v)
            || (0xac00...0xd7a3).contains(v) || (0xf900...0xfaff).contains(v) || (0xfe30...0xfe4f).contains(v)
            || (0xff00...0xff60).contains(v) || (0xffe0...0xffe6).contains(v) || v >= 0x1f000 { return "?" }
        return s
    }
}
