/// Bars, sparklines and charts drawn with cells.
extension Painter {
    /// A bar split by interface: each part as wide as its share, in the interface's colour and
    /// fill character (the character alone tells parts apart on monochrome screens).
    mutating func shareBar(_ parts: [(slot: Int, share: Double)], x: Int, y: Int, width: Int) {
        guard width > 0 else { return }
        var widths = parts.map { Int(($0.share * Double(width)).rounded(.down)) }
        // Largest remainder: the cells left after rounding go to the parts that lost the most.
        var left = min(width, Int((parts.reduce(0) { $0 + $1.share } * Double(width)).rounded())) - widths.reduce(0, +)
        let order = parts.indices.sorted {
            parts[$0].share * Double(width) - Double(widths[$0]) > parts[$1].share * Double(width) - Double(widths[$1])
        }
        for i in order where left > 0 {
            widths[i] += 1
            left -= 1
        }
        var col = x
        for (i, part) in parts.enumerated() {
            let fill = glyphs.shareFills[part.slot % glyphs.shareFills.count]
            grid.fill(fill, x: col, y: y, count: widths[i], style: style(interfaceRole(part.slot)))
            col += widths[i]
        }
        grid.fill(glyphs.barEmpty, x: col, y: y, count: x + width - col, style: style(.barEmpty))
    }

    /// The newest `width` values as one row of level characters, scaled to `scale` (rows that
    /// are compared share one scale, so a slow path draws lower than a fast one). With
    /// `pastUnknown`, a mark left of the oldest value says the line does not start with the socket.
    mutating func sparkline(_ values: [Double], x: Int, y: Int, width: Int, scale: Double, _ role: ThemeRole,
                            pastUnknown: Bool = false) {
        guard width > 0 else { return }
        let shown = values.suffix(width)
        let top = scale
        var col = x + width - shown.count
        if pastUnknown && col > x { grid[safe: col - 1, y] = Cell(glyphs.unrecorded, style(.dim)) }
        for v in shown {
            grid[safe: col, y] = Cell(glyphs.level(top > 0 ? v / top : 0), style(role))
            col += 1
        }
    }

    /// A chart `height` rows tall of the newest `width` values, with eighth-block resolution on
    /// UTF-8 terminals. Returns the maximum the chart is scaled to.
    @discardableResult
    mutating func chart(_ values: [Double], x: Int, y: Int, width: Int, height: Int, _ role: ThemeRole,
                        pastUnknown: Bool = false) -> Double {
        guard width > 0, height > 0 else { return 0 }
        let shown = values.suffix(width)
        let top = shown.max() ?? 0
        let steps = glyphs.levels.count - 1
        var col = x + width - shown.count
        if pastUnknown && col > x {
            for row in 0..<height { grid[safe: col - 1, y + row] = Cell(glyphs.unrecorded, style(.dim)) }
        }
        for v in shown {
            // Total filled eighths (or ASCII steps) for this column, from the bottom up.
            var filled = top > 0 ? Int((v / top * Double(height * steps)).rounded()) : 0
            if v > 0 && filled == 0 { filled = 1 }
            for row in 0..<height {
                let inRow = max(0, min(steps, filled - row * steps))
                grid[safe: col, y + height - 1 - row] = Cell(glyphs.levels[inRow], style(role))
            }
            col += 1
        }
        return top
    }
}

extension CellGrid {
    /// A cell write that ignores positions outside the grid.
    subscript(safe x: Int, y: Int) -> Cell {
        get { x >= 0 && x < width && y >= 0 && y < height ? self[x, y] : Cell() }
        set {
            guard x >= 0, x < width, y >= 0, y < height else { return }
            self[x, y] = newValue
        }
    }
}
