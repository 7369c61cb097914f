import MPTCPKit

/// Enter on an expanded connection: its subflows' rate and RTT over time, one chart each.
extension Painter {
    mutating func detailView(_ state: DashboardState, cookie: UInt64, _ layout: DashboardLayout) {
        guard let c = state.snapshot?.connections.first(where: { $0.cookie == cookie }) else { return }
        let top = layout.interfaceTitle
        var heading = "Connection \(hex(c.token))  \(c.local)\(glyphs.arrow)\(c.remote)"
        if let p = c.process { heading += "  \(p.name)/\(p.pid)" }
        title(heading, y: top, active: true)
        var summary = "TX \(Units.rate(c.txRate))  RX \(Units.rate(c.rxRate))  bytes \(Units.bytes(c.bytesCarried))"
        summary += "  subflows \(c.subflows.count)  retransmitted \(c.retransmissions)"
        if c.fallback { summary += "  fell back to TCP" }
        put(" " + summary, x: 0, y: top + 1, .text, limit: grid.width)

        let bottom = layout.footer
        let labelWidth = 16
        let chartWidth = grid.width - labelWidth - 1
        let perSubflow = max(3, (bottom - top - 2) / max(1, c.subflows.count))
        let chartHeight = max(1, min(6, (perSubflow - 1) / 2))
        var y = top + 2
        for (n, s) in c.subflows.enumerated() {
            let needed = 1 + 2 * chartHeight
            if y + needed > bottom {
                put(" ... \(c.subflows.count - n) more subflow(s): make the terminal taller", x: 0, y: min(y, bottom - 1), .dim)
                break
            }
            let slot = s.interfaceName.flatMap { state.interfaceSlots[$0] } ?? 0
            var x = put(" " + (s.interfaceName ?? "?"), x: 0, y: y, interfaceRole(slot))
            var info = "  \(s.local)\(glyphs.arrow)\(s.remote)"
            if let cwnd = s.tcp?.sndCwnd { info += "  cwnd \(cwnd)" }
            if let r = s.tcp?.totalRetrans { info += "  retrans \(r)" }
            if s.backup { info += "  backup" }
            if let cc = s.congestion { info += "  cc \(cc)" }
            x = put(info, x: x, y: y, .dim)
            let series = state.history.subflows[s.cookie]
            let rates = series?.rate.suffix(chartWidth) ?? []
            let rtts = series?.rtt.suffix(chartWidth) ?? []
            let rateTop = chart(rates, x: labelWidth, y: y + 1, width: chartWidth, height: chartHeight, interfaceRole(slot))
            put(" rate " + Units.rate(rates.last), x: 0, y: y + 1, .text, limit: labelWidth - 1)
            if chartHeight > 1 { put("  max " + Units.rate(rateTop), x: 0, y: y + 2, .dim, limit: labelWidth - 1) }
            let rttTop = chart(rtts, x: labelWidth, y: y + 1 + chartHeight, width: chartWidth, height: chartHeight, .graph)
            put(" rtt " + (rtts.last.map { Units.fixed($0, decimals: 1) + "ms" } ?? "-"),
                x: 0, y: y + 1 + chartHeight, .text, limit: labelWidth - 1)
            if chartHeight > 1 {
                put("  max " + Units.fixed(rttTop, decimals: 1) + "ms", x: 0, y: y + 2 + chartHeight, .dim, limit: labelWidth - 1)
            }
            y += needed
        }
    }
}
