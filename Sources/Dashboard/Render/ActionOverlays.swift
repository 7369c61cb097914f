import MPTCPKit

/// The confirmation dialog and the failover panel.
extension Painter {
    mutating func dialog(_ d: Dialog) {
        let boxWidth = min(grid.width - 4, 76)
        let textWidth = boxWidth - 4
        var lines = wrap(d.text, textWidth).map { ($0, ThemeRole.dialog) }
        if let warning = d.warning {
            lines.append(("", .dialog))
            lines += wrap(warning, textWidth).map { ($0, ThemeRole.bad) }
        }
        let boxHeight = min(grid.height - 2, lines.count + 5)
        let x0 = (grid.width - boxWidth) / 2, y0 = max(1, (grid.height - boxHeight) / 2)
        for y in y0..<(y0 + boxHeight) { grid.fill(" ", x: x0, y: y, count: boxWidth, style: style(.dialog)) }
        grid.fill(" ", x: x0, y: y0, count: boxWidth, style: style(.dialogTitle))
        grid.put(" " + d.title, x: x0, y: y0, style: style(.dialogTitle), limit: boxWidth)
        for (i, line) in lines.prefix(boxHeight - 4).enumerated() {
            grid.put(line.0, x: x0 + 2, y: y0 + 2 + i, style: style(line.1), limit: textWidth)
        }
        var x = x0 + 2
        for answer in d.answers {
            x = grid.put(String(answer.key), x: x, y: y0 + boxHeight - 1, style: style(.footerKey).with(.bold))
            x = grid.put(" " + answer.label + "   ", x: x, y: y0 + boxHeight - 1, style: style(.dialog), limit: x0 + boxWidth - x)
        }
    }

    /// The failover test over the lower part of the screen: rates per interface and events
    /// while it runs, then the report.
    mutating func failoverPanel(_ f: FailoverPanel, _ layout: DashboardLayout, interfaceSlots: [String: Int]) {
        let bottom = layout.bar ?? layout.footer
        let height = min(bottom - 3, max(8, (bottom - 3) / 2 + 4))
        let top = bottom - height
        for y in top..<bottom { grid.fill(" ", x: 0, y: y, count: grid.width, style: style(.dialog)) }
        grid.fill(" ", x: 0, y: top, count: grid.width, style: style(.dialogTitle))
        grid.put(" \(f.title)  [\(f.phase.label)]", x: 0, y: top, style: style(.dialogTitle), limit: grid.width)
        var y = top + 1
        if let report = f.report {
            for line in report where y < bottom - 1 {
                grid.put(" " + line, x: 0, y: y, style: style(.dialog), limit: grid.width)
                y += 1
            }
            let hint = f.savedTo.map { "saved to \($0)   Esc close" } ?? "w save the report as JSON   Esc close"
            grid.put(" " + hint, x: 0, y: bottom - 1, style: style(.footerKey), limit: grid.width)
            return
        }
        let top0 = f.rates.map(\.bitsPerSecond).max() ?? 0
        for r in f.rates where y < bottom - 1 {
            let slot = interfaceSlots[r.interface] ?? 0
            grid.put(" " + r.interface, x: 0, y: y, style: style(interfaceRole(slot)), limit: 9)
            shareBar([(slot, top0 > 0 ? r.bitsPerSecond / top0 : 0)], x: 10, y: y, width: min(30, grid.width - 24))
            grid.put(Units.rate(r.bitsPerSecond), x: min(41, grid.width - 12), y: y, style: style(.dialog))
            y += 1
        }
        for line in f.events.suffix(max(0, bottom - 1 - y)) {
            grid.put(" " + line, x: 0, y: y, style: style(.dialog), limit: grid.width)
            y += 1
        }
        grid.put(" Esc stops the test and puts everything back", x: 0, y: bottom - 1, style: style(.footerKey), limit: grid.width)
    }

    /// Splits `text` into lines of at most `width` columns at spaces.
    func wrap(_ text: String, _ width: Int) -> [String] {
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in paragraph.split(separator: " ") {
                if line.isEmpty {
                    line = String(word)
                } else if line.count + 1 + word.count <= width {
                    line += " " + word
                } else {
                    lines.append(line)
                    line = String(word)
                }
                while line.count > width {
                    lines.append(String(line.prefix(width)))
                    line = String(line.dropFirst(width))
                }
            }
            lines.append(line)
        }
        return lines
    }
}
