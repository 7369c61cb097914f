import MPTCPKit
import Output

/// The two header rows: where we are and what the kernel is set up to do, then the totals.
extension Painter {
    mutating func header(_ state: DashboardState) {
        clearRow(0, .header)
        let h = state.header
        // Each part with the order in which it gives way on a narrow terminal (nil: always
        // shown): where you are and what you may do matter more than the host and scheduler.
        var parts: [(text: String, drop: Int?)] = [
            ("mptop", nil), ("host \(h.host)", 1), ("netns \(h.namespace ?? "(own)")", 5),
            ("pm \(h.pathManager.map { $0 == .kernel ? "in-kernel" : $0.rawValue } ?? "?")", 3),
            ("sched \(h.scheduler ?? "?")", 0), ("every \(IntervalText.format(state.interval))", 4),
            (h.canAct ? "actions on" : "read-only" + (h.readOnlyReason.map { " (\($0))" } ?? ""), nil),
        ]
        switch state.events {
        case .live?: parts.append(("events live", 2))
        case .polling?: parts.append(("polling (no events)", nil))
        case nil: break
        }
        let optional = parts.indices.compactMap { i in parts[i].drop.map { (i, $0) } }.sorted { $0.1 < $1.1 }.map(\.0)
        var dropped = Set<Int>()
        func line() -> String { parts.indices.filter { !dropped.contains($0) }.map { parts[$0].text }.joined(separator: "  ") }
        // The tag at the right: PAUSED, or where a replay is.
        var tag = state.paused ? " PAUSED " : nil
        if let p = state.playback {
            // What is shown is the past: said where the eye goes first, with when and how fast.
            let shown = state.snapshot?.time ?? p.position
            tag = " REPLAY \(PathManagerEventText.clockTime(shown).prefix(8)) \(p.speedText)  \(p.progressText) " + (p.paused ? "PAUSED " : "")
        }
        var k = 0
        while line().unicodeScalars.count + max(10, (tag?.count ?? 0) + 2) > grid.width, k < optional.count {
            dropped.insert(optional[k])
            k += 1
        }
        let end = put(" " + line(), x: 0, y: 0, .header, limit: grid.width)
        if let tag {
            grid.put(tag, x: max(end + 1, grid.width - tag.count - 1), y: 0, style: style(.warn).with(.reverse))
        }

        guard let s = state.snapshot else {
            put(" waiting for the first sample...", x: 0, y: 1, .dim)
            return
        }
        let tx = s.interfaces.reduce(0.0) { $0 + ($1.txRate ?? 0) }
        let rx = s.interfaces.reduce(0.0) { $0 + ($1.rxRate ?? 0) }
        var x = put(" " + counted(s.connections.count, "connection") + "  " + counted(s.subflowCount, "subflow") + "  "
                    + counted(s.listeners.count, "listener"),
                    x: 0, y: 1, .text)
        x = put("   TX \(Units.rate(state.samples > 1 ? tx : nil))  RX \(Units.rate(state.samples > 1 ? rx : nil))",
                x: x, y: 1, .headerAccent)
        if s.interrupted || s.unmatchedSubflows > 0 {
            put("   (sockets changed during the dump; next sample will settle)", x: x, y: 1, .dim)
        }
    }
}

/// "1 connection", "3 connections".
func counted(_ n: Int, _ noun: String) -> String { "\(n) \(noun)" + (n == 1 ? "" : "s") }

extension Style {
    func with(_ extra: TextAttributes) -> Style {
        var s = self
        s.attributes.insert(extra)
        return s
    }
}
