/// The help overlay and the "terminal too small" screen.
extension Painter {
    /// The keys of the table, drawn over the whole screen when it has to be (any key closes it).
    mutating func helpOverlay(replay: Bool) {
        var lines = KeyMap.helpLines(replay: replay)
        let keyWidth = (lines.map { $0.keys.count }.max() ?? 0) + 2
        let boxWidth = min(grid.width - 2, max(40, keyWidth + (lines.map { $0.help.count }.max() ?? 0) + 4))
        // Title, the lines, a blank, the closing hint: the whole screen when it must.
        let boxHeight = min(grid.height, lines.count + 3)
        let room = boxHeight - 3
        if lines.count > room, room > 0 {
            // Never cut silently: the last line says how many are left out.
            lines = Array(lines.prefix(room - 1)) + [("...", "\(lines.count - room + 1) more: make the terminal taller")]
        }
        let x0 = (grid.width - boxWidth) / 2, y0 = (grid.height - boxHeight) / 2
        for y in y0..<(y0 + boxHeight) { grid.fill(" ", x: x0, y: y, count: boxWidth, style: style(.dialog)) }
        grid.fill(" ", x: x0, y: y0, count: boxWidth, style: style(.dialogTitle))
        grid.put(" mptop keys", x: x0, y: y0, style: style(.dialogTitle), limit: boxWidth)
        for (i, line) in lines.prefix(max(0, room)).enumerated() {
            let y = y0 + 1 + i
            grid.put(line.keys, x: x0 + 2, y: y, style: style(.footerKey).with(.bold), limit: keyWidth)
            grid.put(line.help, x: x0 + 2 + keyWidth, y: y, style: style(.dialog), limit: boxWidth - keyWidth - 3)
        }
        grid.put("any key closes this", x: x0 + 2, y: y0 + boxHeight - 1, style: style(.dialog).with(.dim), limit: boxWidth - 3)
    }

    /// The column chooser: a check mark per column, the cursor's row highlighted.
    mutating func columnChooser(_ chooser: ColumnChooser) {
        let keys = [KeyMode.columns].flatMap { mode in KeyMap.table.filter { $0.modes.contains(mode) } }
            .map { "\($0.label): \($0.help)" }
        let rows = chooser.entries.count
        let boxWidth = min(grid.width - 2, 64)
        let boxHeight = min(grid.height, rows + 4 + keys.count)
        let x0 = (grid.width - boxWidth) / 2, y0 = max(0, (grid.height - boxHeight) / 2)
        for y in y0..<(y0 + boxHeight) { grid.fill(" ", x: x0, y: y, count: boxWidth, style: style(.dialog)) }
        grid.fill(" ", x: x0, y: y0, count: boxWidth, style: style(.dialogTitle))
        grid.put(" Columns of the connection list", x: x0, y: y0, style: style(.dialogTitle), limit: boxWidth)
        for (i, entry) in chooser.entries.enumerated() where y0 + 2 + i < y0 + boxHeight - keys.count - 1 {
            let y = y0 + 2 + i
            let mark = entry.shown ? "[x]" : "[ ]"
            let text = "\(mark) \(entry.column.name.padded(to: 10)) \(entry.column.about)"
            let rowStyle = i == chooser.cursor ? style(.selected) : style(.dialog)
            if i == chooser.cursor { grid.fill(" ", x: x0 + 1, y: y, count: boxWidth - 2, style: rowStyle) }
            grid.put(text, x: x0 + 2, y: y, style: entry.shown ? rowStyle : rowStyle.with(.dim), limit: boxWidth - 3)
        }
        for (i, line) in keys.enumerated() {
            grid.put(line, x: x0 + 2, y: y0 + boxHeight - keys.count + i, style: style(.dialog).with(.dim), limit: boxWidth - 3)
        }
    }

    mutating func tooSmall(width: Int, height: Int) {
        let lines = ["terminal too small", "need \(DashboardLayout.minimumWidth)x\(DashboardLayout.minimumHeight),"
            + " have \(width)x\(height)", "enlarge it, or q to quit"]
        let y0 = max(0, (grid.height - lines.count) / 2)
        for (i, line) in lines.enumerated() {
            let x = max(0, (grid.width - line.count) / 2)
            grid.put(line, x: x, y: y0 + i, style: style(i == 0 ? .bad : .text))
        }
    }
}
