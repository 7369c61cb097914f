/// The renderer's drawing context: the grid, the theme and the glyphs of this frame.
struct Painter {
    var grid: CellGrid
    let theme: Theme
    let glyphs: Glyphs

    func style(_ role: ThemeRole) -> Style { theme.style(role) }

    /// The colour role of an interface's slot (colours repeat after six interfaces; the fill
    /// characters in bars still tell them apart).
    func interfaceRole(_ slot: Int) -> ThemeRole { ThemeRole.interfaces[slot % ThemeRole.interfaces.count] }

    @discardableResult
    mutating func put(_ text: String, x: Int, y: Int, _ role: ThemeRole, limit: Int = .max) -> Int {
        grid.put(text, x: x, y: y, style: style(role), limit: limit)
    }

    /// `text` right-aligned in `width` columns starting at `x`.
    mutating func putRight(_ text: String, x: Int, y: Int, width: Int, _ role: ThemeRole) {
        let n = text.unicodeScalars.count
        grid.put(text, x: x + max(0, width - n), y: y, style: style(role), limit: min(n, width))
    }

    /// A pane title: "─ Title ────────" across the row.
    mutating func title(_ text: String, y: Int, active: Bool = false) {
        grid.fill(glyphs.horizontal, x: 0, y: y, count: grid.width, style: style(.border))
        grid.put(" \(text) ", x: 1, y: y, style: style(active ? .headerAccent : .title), limit: grid.width - 2)
    }

    /// Fills a row with blanks in a role's style (e.g. the header bar's background).
    mutating func clearRow(_ y: Int, _ role: ThemeRole) {
        grid.fill(" ", x: 0, y: y, count: grid.width, style: style(role))
    }
}

/// Text fitted to a width: cut with a marker so a person sees that something was left out.
func fitted(_ text: String, _ width: Int) -> String {
    let scalars = text.unicodeScalars
    guard scalars.count > width else { return text }
    guard width > 1 else { return String(String.UnicodeScalarView(scalars.prefix(max(0, width)))) }
    return String(String.UnicodeScalarView(scalars.prefix(width - 1))) + "~"
}
