import MPTCPKit
import Output

/// The full-height screens of the kernel's side: the event log, the counters, the diagnosis.
extension Painter {
    /// The first body line of a page screen and the lines that fit.
    private func body(_ state: DashboardState, _ layout: DashboardLayout, lines: Int) -> (top: Int, first: Int, count: Int) {
        let rows = layout.pageBodyRows
        let first = state.pageScroll == Int.max ? max(0, lines - rows) : min(state.pageScroll, max(0, lines - rows))
        return (layout.interfaceTitle + 2, first, min(rows, max(0, lines - first)))
    }

    mutating func eventLog(_ state: DashboardState, _ layout: DashboardLayout) {
        let events = state.visibleLog
        var heading = "Path-manager events \(events.count)"
        if !state.filter.isEmpty { heading += " of \(state.eventLog.events.count)  filter \"\(state.filter)\"" }
        if state.eventLog.overruns > 0 { heading += "  (\(state.eventLog.overruns) overruns: some events were lost)" }
        title(heading, y: layout.interfaceTitle, active: true)
        // Addresses take what the fixed columns leave, keeping room for the interface and details.
        let widths = [12, 16, 8, max(16, min(40, grid.width - 43 - 8 - 30)), 6]
        var x = 1
        for (heading, w) in zip(["TIME", "TYPE", "TOKEN", "ADDRESSES", "IFACE", "DETAILS"], widths + [0]) {
            put(heading, x: x, y: layout.interfaceTitle + 1, .column)
            x += w + 2
        }
        if events.isEmpty {
            var why = "no events yet"
            if case .polling(let reason)? = state.events { why += " (polling only: \(reason))" }
            put("  " + why, x: 0, y: layout.interfaceTitle + 2, .dim)
            return
        }
        let b = body(state, layout, lines: events.count)
        for i in 0..<b.count {
            let e = events[b.first + i]
            let c = e.columns
            let y = b.top + i
            let role: ThemeRole = e.isTrouble ? .warn : .text
            var x = 1
            for (text, w) in zip([c.time, c.type, c.token, c.addresses, c.interface], widths) {
                put(fitted(text, w), x: x, y: y, text == c.type ? role : .text)
                x += w + 2
            }
            put(c.details, x: x, y: y, .dim, limit: grid.width - x)
        }
    }

    mutating func countersScreen(_ state: DashboardState, _ layout: DashboardLayout) {
        let shown = state.visibleCounters
        let hidden = state.counters.count - shown.count
        title("MPTCP counters (MPTcpExt)  deltas per refresh" + (hidden > 0 ? "  \(hidden) at zero hidden (z)" : ""),
              y: layout.interfaceTitle, active: true)
        if state.counters.isEmpty {
            put("  no counters read yet", x: 0, y: layout.interfaceTitle + 2, .dim)
            return
        }
        let lines = CountersLayout.lines(shown)
        let b = body(state, layout, lines: lines.count)
        put("NAME", x: 3, y: layout.interfaceTitle + 1, .column)
        putRight("VALUE", x: 29, y: layout.interfaceTitle + 1, width: 14, .column)
        putRight("DELTA", x: 44, y: layout.interfaceTitle + 1, width: 10, .column)
        for i in 0..<b.count {
            let y = b.top + i
            switch lines[b.first + i] {
            case .group(let title): put(" " + title, x: 0, y: y, .title)
            case .counter(let c):
                put(c.name + (c.isGauge ? " (now)" : ""), x: 3, y: y, c.changed ? .headerAccent : .text, limit: 26)
                putRight(String(c.value), x: 29, y: y, width: 14, .text)
                if let d = c.delta, d != 0, !c.isGauge { putRight((d > 0 ? "+" : "") + String(d), x: 44, y: y, width: 10, .warn) }
            }
        }
    }

    mutating func diagnosisScreen(_ state: DashboardState, _ layout: DashboardLayout) {
        title("Diagnosis: path-manager setup and why connections may lack subflows", y: layout.interfaceTitle, active: true)
        guard let d = state.diagnosis else {
            put("  no diagnosis (needs the path manager's netlink family)", x: 0, y: layout.interfaceTitle + 2, .dim)
            return
        }
        let lines = DiagnosisScreen.lines(d)
        let b = body(state, layout, lines: lines.count)
        for i in 0..<b.count {
            let line = lines[b.first + i]
            let word = line.trimmingLeadingSpace.prefix { $0 != " " }
            let role: ThemeRole = word == "PROBLEM" ? .bad : word == "WARNING" ? .warn : line.hasSuffix(":") ? .title : .text
            put(" " + line, x: 0, y: b.top + i, role, limit: grid.width)
        }
    }
}

/// The diagnosis screen's lines: the findings first (what a person came for), then the setup.
enum DiagnosisScreen {
    static func lines(_ d: Diagnosis) -> [String] { DiagnosisText.findingLines(d) + [""] + DiagnosisText.setupLines(d) }
}

/// The counters screen's lines: a heading per group, then its counters.
enum CountersLayout {
    enum Line { case group(String), counter(MPTCPCounterChange) }

    static func lines(_ counters: [MPTCPCounterChange]) -> [Line] {
        MPTCPCounterChange.grouped(counters).flatMap { [Line.group($0.group.title)] + $0.counters.map(Line.counter) }
    }

    static func lineCount(_ counters: [MPTCPCounterChange]) -> Int { lines(counters).count }
}
