/// The bottom row: the filter being typed, a message, or the keys that apply to the selection.
extension Painter {
    mutating func footer(_ state: DashboardState, y: Int) {
        clearRow(y, .footer)
        if state.editingFilter {
            let x = put(" filter: ", x: 0, y: y, .footerKey)
            let end = put(state.filter + "_", x: x, y: y, .filter)
            put("   Enter keeps it, Esc clears it", x: end, y: y, .footer)
            return
        }
        var x = 1
        if let message = state.message {
            x = put(message + "   ", x: x, y: y, .warn) 
        }
        for (key, what) in keys(for: state) {
            guard x + key.count + what.count + 2 < grid.width else { continue }
            x = put(key, x: x, y: y, .footerKey)
            x = put(" " + what + "  ", x: x, y: y, .footer)
        }
    }

    /// The extra bar: " DEMO  1 WiFi away  2 slow cellular ...   receiver: 1.2GiB intact".
    mutating func statusBar(_ bar: StatusBar, y: Int) {
        clearRow(y, .footer)
        var x = put(" \(bar.title) ", x: 0, y: y, .headerAccent)
        x += 1
        for item in bar.items {
            x = put(String(item.key), x: x, y: y, .footerKey)
            x = put(" " + item.label + "  ", x: x, y: y, .footer)
        }
        // The status is the point of the bar: it wins over the key labels for the space.
        let status = bar.status.text.count + 2 <= grid.width - x ? bar.status.text : bar.status.short
        let start = max(0, grid.width - status.unicodeScalars.count - 1)
        grid.fill(" ", x: start - 1, y: y, count: grid.width - start + 1, style: style(.footer))
        put(status, x: start, y: y, bar.status.good ? .good : .bad)
    }

    private func keys(for state: DashboardState) -> [(String, String)] {
        let move = glyphs == .unicode ? "↑↓" : "Up/Dn"
        var out: [(String, String)] = []
        if state.dialog != nil || state.failover != nil { return [] }  // they show their own keys
        switch state.screen {
        case .detail:
            out = [("Esc", "back")]
        case .events:
            out = [(move, "scroll"), ("Esc", "back"), ("/", "filter events")]
        case .counters:
            out = [(move, "scroll"), ("Esc", "back"), ("z", state.showZeroCounters ? "hide zeros" : "show zeros")]
        case .diagnosis:
            out = [(move, "scroll"), ("Esc", "back")]
        case .list where state.pane == .interfaces:
            out = [(move, "interface"), ("Enter", "its connections"), ("Tab", "connections")]
        case .list:
            out = [(move, "select")]
            switch state.rows.isEmpty ? nil : state.selection {
            case .connection(let cookie)?:
                out.append(("Enter", state.expanded.contains(cookie) ? "details" : "subflows"))
                if state.header.canAct && state.selectedConnection != nil { out.append(("f", "failover test")) }
            case .subflow?:
                if state.header.canAct && state.selectedSubflow != nil { out += [("x", "close subflow"), ("b", "backup")] }
                out.append(("Space", "collapse"))
            case nil:
                break
            }
        }
        if state.screen == .list && state.pane == .interfaces && state.header.canAct {
            out += [("f", "failover test"), ("b", "backup")]
        }
        // Most wanted first: on a narrow terminal the tail is what gets left out (? lists all).
        out += [("?", "help"), ("q", "quit")]
        if state.screen != .events { out.append(("/", "filter")) }
        if state.screen == .list { out += [("e", "events"), ("c", "counters"), ("d", "diagnose")] }
        out += [("s", "sort"), ("p", state.paused ? "resume" : "pause")]
        if state.screen == .list && state.pane == .connections { out.append(("Tab", "interfaces")) }
        out += [("+-", "speed"), ("t", "theme")]
        return out
    }
}
