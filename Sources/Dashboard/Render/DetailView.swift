import MPTCPKit

/// Enter on an expanded connection: what MPTCP says of it, then its subflows' rate and RTT over
/// time, one chart each, on one time axis with marks where things happened.
extension Painter {
    mutating func detailView(_ state: DashboardState, cookie: UInt64, _ layout: DashboardLayout) {
        guard let c = state.snapshot?.connections.first(where: { $0.cookie == cookie }) else { return }
        let top = layout.interfaceTitle
        var heading = "Connection \(tokenText(c.token))  \(c.local)\(glyphs.arrow)\(c.remote)"
        if let p = c.process { heading += "  \(p.name)/\(p.pid)" }
        title(heading, y: top, active: true)
        var summary = "TX \(Units.rate(c.txRate))  RX \(Units.rate(c.rxRate))  bytes \(Units.bytes(c.bytesCarried))"
        summary += "  retransmitted \(c.retransmissions)"
        if c.fallback { summary += "  fell back to TCP" }
        put(" " + summary, x: 0, y: top + 1, .text, limit: grid.width)
        put(" " + Self.mptcpFacts(c, scheduler: state.header.scheduler), x: 0, y: top + 2, .dim, limit: grid.width)

        let labelWidth = 16
        let chartWidth = grid.width - labelWidth - 1
        // The time axis, its marks and their legend take the last three rows above the bars,
        // when there is room.
        let end = layout.bar ?? layout.footer
        let axis = end - top - 3 >= 3 + 3 ? 3 : 0
        let bottom = end - axis
        let perSubflow = max(3, (bottom - top - 3) / max(1, c.subflows.count))
        let chartHeight = max(1, min(6, (perSubflow - 1) / 2))
        var y = top + 3
        // Whether a chart starts later than the socket did (its row was off screen).
        var unrecorded = false
        for (n, s) in c.subflows.enumerated() {
            let needed = 1 + 2 * chartHeight
            if y + needed > bottom {
                put(" ... \(c.subflows.count - n) more subflow(s): make the terminal taller", x: 0, y: min(y, bottom - 1), .dim)
                break
            }
            let slot = s.interfaceName.flatMap { state.interfaceSlots[$0] } ?? 0
            var x = put(" " + (s.interfaceName ?? "?"), x: 0, y: y, interfaceRole(slot))
            let status = s.status
            var word = status.word
            if case .stalled(let ms?) = status { word += " " + Units.age(milliseconds: ms) }
            x = put("  " + word, x: x, y: y, statusRole(status))
            var info = "  \(s.local)\(glyphs.arrow)\(s.remote)"
            if let l = s.ulp?.localID, let r = s.ulp?.remoteID { info += "  ids \(l)/\(r)" }
            if let cwnd = s.tcpInfo.sndCwnd { info += "  cwnd \(cwnd)" }
            if let r = s.tcpInfo.totalRetrans { info += "  retrans \(r)" }
            if s.backup { info += "  backup" }
            if let cc = s.congestion { info += "  cc \(cc)" }
            x = put(info, x: x, y: y, .dim)
            let series = state.history.subflows[s.cookie]
            let rates = series?.rates(chartWidth) ?? []
            let rtts = series?.rtts(chartWidth) ?? []
            let unknown = series?.pastUnknown ?? false
            if unknown { unrecorded = true }
            let rateTop = chart(rates, x: labelWidth, y: y + 1, width: chartWidth, height: chartHeight, interfaceRole(slot),
                                pastUnknown: unknown)
            put(" rate " + Units.rate(rates.last), x: 0, y: y + 1, .text, limit: labelWidth - 1)
            if chartHeight > 1 { put("  max " + Units.rate(rateTop), x: 0, y: y + 2, .dim, limit: labelWidth - 1) }
            let rttTop = chart(rtts, x: labelWidth, y: y + 1 + chartHeight, width: chartWidth, height: chartHeight,
                               s.rttIsStale ? .dim : .graph, pastUnknown: unknown)
            let rttLabel = s.rttIsStale ? glyphs.dash + " stale" : (rtts.last.map { Units.fixed($0, decimals: 1) + "ms" } ?? "-")
            put(" rtt " + rttLabel, x: 0, y: y + 1 + chartHeight, s.rttIsStale ? .dim : .text, limit: labelWidth - 1)
            if chartHeight > 1 {
                put("  max " + Units.fixed(rttTop, decimals: 1) + "ms", x: 0, y: y + 2 + chartHeight, .dim, limit: labelWidth - 1)
            }
            y += needed
        }
        if axis > 0 { timeAxis(state, of: c, x: labelWidth, width: chartWidth, y: bottom, unrecorded: unrecorded) }
    }

    /// "MPTCP: 2 subflows now, 3 ever  reinjected 5.7KiB  ...": what the connection's
    /// `mptcp_info` says, and what this kernel does not (older kernels leave fields out).
    static func mptcpFacts(_ c: Connection, scheduler: String?) -> String {
        var facts = ["MPTCP: \(c.subflows.count) subflow\(c.subflows.count == 1 ? "" : "s") now"
                     + (c.info?.subflowsTotal.map { ", \($0) ever" } ?? "")]
        if c.info == nil { facts.append("no mptcp_info from the kernel, so no token") }
        if let r = c.info?.bytesRetrans { facts.append("reinjected \(Units.bytes(r))") }
        if let r = c.info?.retransmits { facts.append("RTOs \(r)") }
        if let t = c.info?.lastDataSent { facts.append("last sent \(Units.age(milliseconds: t)) ago") }
        if let t = c.info?.lastDataReceived { facts.append("received \(Units.age(milliseconds: t)) ago") }
        if let t = c.info?.lastAckReceived { facts.append("acked \(Units.age(milliseconds: t)) ago") }
        if let csum = c.info?.checksumEnabled { facts.append("checksums \(csum ? "on" : "off")") }
        if let s = scheduler { facts.append("scheduler \(s)") }
        return facts.joined(separator: "  ")
    }

    /// Three rows under the charts: the marks (a letter where something happened), the time
    /// axis ("-60 s ... now"), the legend of the marks shown.
    private mutating func timeAxis(_ state: DashboardState, of connection: Connection, x: Int, width: Int, y: Int, unrecorded: Bool) {
        let times = state.history.times.suffix(width)
        guard let newest = times.last, width > 8 else { return }
        // Column of the sample nearest to `t`; nil when it is older than the chart.
        func column(_ t: Double) -> Int? {
            guard let oldest = times.first, t >= oldest - 0.5 else { return nil }
            var best = times.count - 1
            for (i, time) in times.enumerated().reversed() where abs(time - t) <= abs(times[best] - t) { best = i }
            return x + width - times.count + best
        }
        var shown: [TimelineMark.Kind] = []
        for mark in state.timeline.marks(for: connection) {
            guard let col = column(mark.time), mark.time <= newest + 0.5 else { continue }
            let role: ThemeRole = mark.kind == .stalled ? .bad : mark.kind == .recovered ? .good
                : mark.interface.flatMap { state.interfaceSlots[$0] }.map(interfaceRole) ?? .warn
            grid[safe: col, y] = Cell(Unicode.Scalar(String(mark.kind.letter))!, style(role).with(.bold))
            if !shown.contains(mark.kind) { shown.append(mark.kind) }
        }
        put(" marks", x: 0, y: y, .dim, limit: x - 1)
        // The axis: a rule, "now" at the right, the age of every quarter of the chart.
        grid.fill(glyphs.horizontal, x: x, y: y + 1, count: width, style: style(.dim))
        put(" time", x: 0, y: y + 1, .dim, limit: x - 1)
        putRight("now", x: x, y: y + 1, width: width, .dim)
        // Labels with a space either side, never on top of one another.
        var taken = [(x + width - 4)..<(x + width)]
        func label(_ ago: Double, at start: Int) {
            let text = "-" + Units.fixed(ago, decimals: 0) + " s"
            let span = (start - 1)..<(start + text.count + 1)
            guard start >= x, start + text.count <= x + width, !taken.contains(where: { $0.overlaps(span) }) else { return }
            taken.append(span)
            put(text, x: start, y: y + 1, .dim)
        }
        if times.count < width, let oldest = times.first, newest - oldest >= 1 {
            label(newest - oldest, at: x + width - times.count)
        }
        for quarter in [1, 2, 3] {
            let k = width * quarter / 4
            guard k < times.count else { continue }
            label(newest - times[times.count - 1 - k], at: x + width - 1 - k - 2)
        }
        var legend = shown.isEmpty ? "no marks yet (subflow opened or closed, stall, recovery, failover test)"
            : shown.map { "\($0.letter) \($0.legend)" }.joined(separator: "  ")
        if unrecorded { legend = "\(glyphs.unrecorded) not recorded before (off screen)  " + legend }
        put(legend, x: x, y: y + 2, .dim, limit: width)
    }
}
