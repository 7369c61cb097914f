import MPTCPKit

/// The connection list: a title with the sort and filter, column headings, and the visible rows.
/// Only rows on screen are formatted, so 10,000 connections cost no more to draw than 30.
extension Painter {
    mutating func connectionList(_ state: DashboardState, _ layout: DashboardLayout) {
        let active = state.pane == .connections
        var heading = "Connections \(state.rows.filter { if case .connection = $0.kind { return true } else { return false } }.count)"
        if let total = state.snapshot?.connections.count, !state.filter.isEmpty { heading += " of \(total)" }
        if let sort = state.sort {
            heading += "  sorted by \(sort.label) " + String(state.sortReversed != sort.descendingByDefault ? glyphs.down : glyphs.up)
        } else if state.sortReversed {
            heading += "  newest first"
        }
        if !state.filter.isEmpty { heading += "  filter \"\(state.filter)\"" }
        title(heading, y: layout.connectionTitle, active: active)

        let columns = ListColumn.fit(width: grid.width, columns: state.columns)
        for c in columns {
            if c.column.rightAligned {
                putRight(c.column.heading, x: c.x, y: layout.columnHeader, width: c.width, .column)
            } else {
                let full = c.column == .addresses ? "LOCAL" + glyphs.arrow + "REMOTE" : c.column.heading
                let heading = full.count <= c.width ? full : c.column.shortHeading
                put(heading, x: c.x, y: layout.columnHeader, .column, limit: c.width)
            }
        }
        guard let snapshot = state.snapshot else { return }
        if state.rows.isEmpty {
            let why = state.filter.isEmpty ? "  no MPTCP connections in this namespace" : "  no connection matches the filter (Esc clears it)"
            put(why, x: 0, y: layout.listRows.lowerBound, .dim)
            return
        }
        let selected = state.selectionIndex
        for (y, i) in zip(layout.listRows, state.scroll..<state.rows.count) {
            switch state.rows[i].kind {
            case .connection(let ci, let open):
                connectionRow(snapshot.connections[ci], expanded: open, state: state, columns: columns, y: y)
            case .subflow(let ci, let si, let last):
                let c = snapshot.connections[ci]
                subflowRow(c.subflows[si], of: c, last: last, state: state, columns: columns, y: y)
            case .departedConnection(let di):
                let d = state.departures.connections[di]
                connectionRow(d.connection, expanded: false, state: state, columns: columns, y: y)
                closed(reason: d.reason, at: d.departedAt, now: snapshot.time, columns: columns, y: y)
            case .departedSubflow(let ci, let di, let last):
                let d = state.departures.subflows[di]
                subflowRow(d.subflow, of: snapshot.connections[ci], last: last, state: state, columns: columns, y: y)
                closed(reason: d.reason, at: d.departedAt, now: snapshot.time, columns: columns, y: y)
            }
            if i == selected {
                let selection = style(.selected)
                grid.restyle(x: 0, y: y, count: grid.width) { $0 = active ? $0.selected(by: selection) : $0.with(.underline) }
            }
        }
    }

    private mutating func connectionRow(_ c: Connection, expanded: Bool, state: DashboardState, columns: [ListColumn.Placed], y: Int) {
        for p in columns {
            switch p.column {
            case .id:
                // No token (no mptcp_info): "-", as `mptop --once` prints it, never a made-up 00000000.
                put(String(expanded ? glyphs.expanded : glyphs.collapsed) + " " + tokenText(c.token), x: p.x, y: y, .text, limit: p.width)
            case .addresses: put(addresses(c.local, c.remote, width: p.width), x: p.x, y: y, .text, limit: p.width)
            case .cwnd: putRight(String(c.subflows.count), x: p.x, y: y, width: p.width, .text)
            case .rtt: putRight(Units.milliseconds(micros: c.smallestRTT).dropLastIf("ms"), x: p.x, y: y, width: p.width, .text)
            case .tx: putRight(Units.rate(c.txRate), x: p.x, y: y, width: p.width, .text)
            case .rx: putRight(Units.rate(c.rxRate), x: p.x, y: y, width: p.width, .text)
            case .bytes: putRight(Units.bytes(c.bytesCarried), x: p.x, y: y, width: p.width, .text)
            case .retrans: putRight(String(c.retransmissions), x: p.x, y: y, width: p.width, c.retransmissions > 0 ? .warn : .text)
            case .share:
                shareBar(state.shares(of: c, state.shareMode).map { (state.interfaceSlots[$0.name] ?? 0, $0.share) }, x: p.x, y: y, width: p.width)
            case .process:
                if let proc = c.process { put(fitted("\(proc.name)/\(proc.pid)", p.width), x: p.x, y: y, .text) }
            case .status:
                let (text, role) = connectionStatus(c, width: p.width)
                put(text, x: p.x, y: y, role, limit: p.width)
            }
        }
    }

    private mutating func subflowRow(_ s: Subflow, of c: Connection, last: Bool, state: DashboardState,
                                     columns: [ListColumn.Placed], y: Int) {
        let slot = s.interfaceName.flatMap { state.interfaceSlots[$0] } ?? 0
        for p in columns {
            switch p.column {
            case .id:
                let x = put("  " + (last ? glyphs.treeLast : glyphs.treeMiddle) + " ", x: p.x, y: y, .dim, limit: p.width)
                put(s.interfaceName ?? "?", x: x, y: y, interfaceRole(slot), limit: p.x + p.width - x)
            case .addresses: put(addresses(s.local, s.remote, width: p.width), x: p.x, y: y, .dim, limit: p.width)
            case .cwnd: putRight(s.tcpInfo.sndCwnd.map(String.init) ?? "-", x: p.x, y: y, width: p.width, .text)
            case .rtt:
                if s.rttIsStale, let age = s.rttAge {
                    // The last RTT measured is old news on a path that gets no ACKs: say how old.
                    putRight(glyphs.dash + " " + Units.age(milliseconds: age), x: p.x, y: y, width: p.width, .dim)
                } else {
                    let rtt = s.tcpInfo.rtt.map { Units.fixed(Double($0) / 1000, decimals: $0 >= 100_000 ? 0 : 1) } ?? "-"
                    let dev = s.tcpInfo.rttVar.map { Units.fixed(Double($0) / 1000, decimals: $0 >= 10_000 ? 0 : 1) }
                    var text = rtt + (dev.map { glyphs.plusMinus + $0 } ?? "")
                    // Narrow (or ASCII's two-character ±): the variance loses its decimals, then goes.
                    if text.count > p.width, let v = s.tcpInfo.rttVar {
                        text = rtt + glyphs.plusMinus + Units.fixed(Double(v) / 1000, decimals: 0)
                        if text.count > p.width { text = rtt }
                    }
                    putRight(text, x: p.x, y: y, width: p.width, .text)
                }
            case .tx: putRight(Units.rate(s.txRate), x: p.x, y: y, width: p.width, .text)
            case .rx: putRight(Units.rate(s.rxRate), x: p.x, y: y, width: p.width, .text)
            case .bytes: putRight(Units.bytes(s.bytesCarried), x: p.x, y: y, width: p.width, .text)
            case .retrans:
                let r = s.tcpInfo.totalRetrans ?? 0
                putRight(String(r), x: p.x, y: y, width: p.width, r > 0 ? .warn : .text)
            case .share:
                let share = state.share(of: s, in: c, state.shareMode)
                let x = put(Units.percent(share).leftPadded(to: 4) + " ", x: p.x, y: y, .text, limit: p.width)
                let width = p.x + p.width - x
                if let series = state.history.subflows[s.cookie] {
                    // One scale per connection, so its subflows' lines compare at a glance.
                    let scale = c.subflows.compactMap { state.history.subflows[$0.cookie]?.rates(width).max() }.max() ?? 0
                    sparkline(series.rates(width), x: x, y: y, width: width, scale: scale, interfaceRole(slot), pastUnknown: series.pastUnknown)
                }
            case .process:
                if let cc = s.congestion { put("cc " + cc, x: p.x, y: y, .dim, limit: p.width) }
            case .status:
                let status = s.status
                var text = status.word
                if case .stalled(let ms?) = status, text.count + 6 <= p.width { text += " " + Units.age(milliseconds: ms) }
                if s.backup && status != .backup && text.count + 7 <= p.width { text += ",backup" }
                put(text, x: p.x, y: y, statusRole(status), limit: p.width)
            }
        }
    }

    /// The connection's status cell: the trouble first ("wifi0 stalled 4.2s"), then the
    /// fallback to TCP, then a backup subflow that carries traffic.
    private func connectionStatus(_ c: Connection, width: Int) -> (String, ThemeRole) {
        if let s = c.subflows.first(where: { $0.status.isStalled }) {
            let age = s.rttAge.map { " " + Units.age(milliseconds: $0) } ?? ""
            let name = s.interfaceName ?? "?"
            for text in [name + " stalled" + age, "stalled" + age, "stalled"] where text.count <= width { return (text, .bad) }
            return ("stalled", .bad)
        }
        if c.fallback { return ("fallback", .warn) }
        if c.subflows.contains(where: { $0.backup && ($0.txRate ?? 0) + ($0.rxRate ?? 0) > 0 }) { return ("backup", .text) }
        return ("", .text)
    }

    /// Colour for a status word; the word itself says it without colour.
    func statusRole(_ status: SubflowStatus) -> ThemeRole {
        switch status {
        case .active: return .good
        case .idle: return .dim
        case .backup: return .text
        case .stalled: return .bad
        case .opening, .closing: return .warn
        }
    }

    /// A closed socket's row: its final figures (cwnd, RTT, bytes, retransmissions) stay,
    /// dimmed; the rate columns say when it closed (it has no rate any more), and the share
    /// column onwards says why.
    private mutating func closed(reason: String, at: Double, now: Double, columns: [ListColumn.Placed], y: Int) {
        let closedStyle = style(.closed)
        grid.restyle(x: 0, y: y, count: grid.width) { $0 = Style(closedStyle.foreground, on: $0.background, closedStyle.attributes) }
        if let tx = columns.first(where: { $0.column == .tx }) {
            let end = columns.first(where: { $0.column == .rx }).map { $0.x + $0.width } ?? tx.x + tx.width
            grid.fill(" ", x: tx.x, y: y, count: end - tx.x, style: closedStyle)
            putRight("closed \(max(0, Int((now - at).rounded())))s ago", x: tx.x, y: y, width: end - tx.x, .closed)
        }
        guard let start = columns.first(where: { $0.column == .share }) else { return }
        grid.fill(" ", x: start.x, y: y, count: grid.width - start.x, style: closedStyle)
        put(reason, x: start.x, y: y, .closed, limit: grid.width - start.x)
    }

    /// "local → remote", or just "→ remote" when both do not fit (the remote end says more about
    /// which connection it is; the local one is in the subflow rows).
    private func addresses(_ local: SocketAddress, _ remote: SocketAddress, width: Int) -> String {
        let full = local.description + glyphs.arrow + remote.description
        if full.unicodeScalars.count <= width { return full }
        let arrowed = glyphs.arrow.trimmingLeadingSpace + remote.description
        if arrowed.unicodeScalars.count <= width { return arrowed }
        return fitted(remote.description, width)
    }
}

extension String {
    func dropLastIf(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
    var trimmingLeadingSpace: String { String(drop { $0 == " " }) }
}
