import MPTCPKit

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
        if let r = state.recording {
            x = put("REC ", x: x, y: y, .bad)
            x = put("\(r.path) (\(r.samples) samples, \(Units.bytes(UInt64(r.bytes))))   ", x: x, y: y, .footer)
        }
        // With the demo's bar, the dashboard narrates what the paths are doing; that news wins
        // over the last key's message.
        if state.bar != nil, let news = state.narration {
            x = put(news.text + "   ", x: x, y: y, news.good ? .good : .bad)
        } else if let message = state.message {
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

    /// The keys that apply to what is selected, most wanted first: on a narrow terminal the tail
    /// is what gets left out (? lists all). Each key's name comes from the key table, so the
    /// footer can only offer keys that work in this mode.
    private func keys(for state: DashboardState) -> [(String, String)] {
        // They show their own keys.
        if state.dialog != nil || state.failover != nil || state.columnChooser != nil { return [] }
        let mode = state.browsingMode
        var out: [(String, String)] = []
        func hint(_ action: DashboardAction, _ what: String) {
            if let key = KeyMap.keyLabel(for: action, in: mode) { out.append((key, what)) }
        }
        func moveHint(_ what: String) {
            if KeyMap.keyLabel(for: .moveUp, in: mode) != nil { out.append((glyphs == .unicode ? "↑↓" : "Up/Dn", what)) }
        }
        switch state.screen {
        case .detail:
            hint(.back, "back")
        case .events:
            moveHint("scroll")
            hint(.back, "back")
            hint(.startFilter, "filter events")
        case .counters:
            moveHint("scroll")
            hint(.back, "back")
            hint(.toggleZeroCounters, state.showZeroCounters ? "hide zeros" : "show zeros")
        case .diagnosis:
            moveHint("scroll")
            hint(.back, "back")
        case .list where state.pane == .interfaces:
            moveHint("interface")
            hint(.activate, "its connections")
            hint(.switchPane, "connections")
        case .list:
            moveHint("select")
            switch state.rows.isEmpty ? nil : state.selection {
            case .connection(let cookie)?:
                hint(.activate, state.expanded.contains(cookie) ? "details" : "subflows")
                if state.header.canAct && state.selectedConnection != nil { hint(.failover, "failover test") }
            case .subflow?:
                if state.header.canAct && state.selectedSubflow != nil {
                    hint(.closeSubflow, "close subflow")
                    hint(.toggleBackup, "backup")
                }
                hint(.toggleExpand, "collapse")
            case nil:
                break
            }
        }
        if state.screen == .list && state.pane == .interfaces && state.header.canAct {
            hint(.failover, "failover test")
            hint(.toggleBackup, "backup")
        }
        hint(.toggleHelp, "help")
        hint(.quit, "quit")
        if state.screen != .events { hint(.startFilter, "filter") }
        if state.screen == .list {
            hint(.showEvents, "events")
            hint(.showCounters, "counters")
            hint(.showDiagnosis, "diagnose")
        }
        if let p = state.playback {
            // A replay's own keys first: moving in the recording is what it is for.
            var replay: [(String, String)] = []
            func label(_ action: DashboardAction) -> String? { KeyMap.keyLabel(for: action, in: .replay) }
            if let k = label(.togglePlayback) { replay.append((k, p.paused ? "play" : "pause")) }
            if let back = label(.seekBack), let on = label(.seekForward) { replay.append((back + on, "seek 10 s")) }
            if let k = label(.stepSample) { replay.append((k, "step")) }
            if let start = label(.seekStart), let end = label(.seekEnd) { replay.append((start + end, "start/end")) }
            if let faster = label(.playFaster), let slower = label(.playSlower) { replay.append((faster + slower, "speed")) }
            hint(.nextSortColumn, "sort")
            return replay + out
        }
        hint(.nextSortColumn, "sort")
        hint(.togglePause, state.paused ? "resume" : "pause")
        if state.screen == .list && state.pane == .connections { hint(.switchPane, "interfaces") }
        if let faster = KeyMap.keyLabel(for: .faster, in: mode), let slower = KeyMap.keyLabel(for: .slower, in: mode) {
            out.append((faster + slower, "speed"))
        }
        hint(.nextTheme, "theme")
        return out
    }
}
