import MPTCPKit

/// Interfaces that carry MPTCP subflows: share of the bytes as a bar, rates, a history line.
extension Painter {
    mutating func interfacePane(_ state: DashboardState, _ layout: DashboardLayout) {
        let interfaces = state.snapshot?.interfaces ?? []
        let active = state.pane == .interfaces
        let mode = state.shareMode
        let shares = state.interfaceShares(mode), others = state.interfaceShares(mode.other)
        title("Interfaces  share of MPTCP bytes, \(mode.label)" + (interfaces.count > layout.interfaceRows.count
            ? "  (\(interfaces.count - layout.interfaceRows.count) more)" : ""), y: layout.interfaceTitle, active: active)
        guard !interfaces.isEmpty else {
            put("  no MPTCP subflows in this namespace yet", x: 0, y: layout.interfaceRows.lowerBound, .dim)
            return
        }
        let w = grid.width
        // name | bar | pct | the other mode's pct | TX | RX | subflows | history
        let nameWidth = 9, pctWidth = 5, otherWidth = 11, rateWidth = 13, countWidth = 6
        let fixed = 1 + nameWidth + 1 + pctWidth + otherWidth + 1 + rateWidth * 2 + countWidth
        let barWidth = max(8, min(30, (w - fixed) / 2))
        let historyX = fixed + barWidth + 1
        let historyWidth = w - historyX - 1
        let scale = interfaces.compactMap { state.history.interfaces[$0.name]?.rates(historyWidth).max() }.max() ?? 0
        for (row, i) in zip(layout.interfaceRows, interfaces) {
            let slot = state.interfaceSlots[i.name] ?? 0
            var x = put(" " + fitted(i.name, nameWidth - 1), x: 0, y: row, interfaceRole(slot), limit: nameWidth)
            x = max(x, nameWidth + 1)
            let share = shares[i.name] ?? 0
            shareBar([(slot, share)], x: x, y: row, width: barWidth)
            x += barWidth + 1
            putRight(Units.percent(share), x: x, y: row, width: pctWidth - 1, .text)
            x += pctWidth
            let other = mode == .recent ? "start " : "now "
            put(other + Units.percent(others[i.name] ?? 0), x: x, y: row, .dim, limit: otherWidth - 1)
            x += otherWidth
            put("TX " + Units.rate(i.txRate), x: x, y: row, .text, limit: rateWidth - 1)
            x += rateWidth
            put("RX " + Units.rate(i.rxRate), x: x, y: row, .text, limit: rateWidth - 1)
            x += rateWidth
            put("\(i.subflows) sf", x: x, y: row, .dim, limit: countWidth - 1)
            if historyX + 4 < w, let series = state.history.interfaces[i.name] {
                sparkline(series.rates(historyWidth), x: historyX, y: row, width: historyWidth, scale: scale, interfaceRole(slot))
            }
            if active && state.selectedInterface == i.name {
                let selection = style(.selected)
                grid.restyle(x: 0, y: row, count: w) { $0 = $0.selected(by: selection) }
            }
        }
    }
}

extension Style {
    /// This cell's look on a selected row: the selection's colours, keeping bold and the like.
    func selected(by selection: Style) -> Style {
        Style(selection.foreground, on: selection.background, attributes.subtracting(.dim).union(selection.attributes))
    }
}
