/// Turns a `PathManagerSetup` into findings that answer the commonest MPTCP question: why does
/// this connection have no extra subflow? Pure: no kernel, so each rule has a unit test.
public enum DiagnosisRules {
    public static func findings(for s: PathManagerSetup) -> [DiagnosisFinding] {
        var out: [DiagnosisFinding] = []
        guard let enabled = s.mptcpEnabled else {
            return [.init(.problem, "mptcp_missing", "this kernel has no MPTCP (no /proc/sys/net/mptcp; needs CONFIG_MPTCP, Linux 5.6 or later)")]
        }
        if !enabled {
            out.append(.init(.problem, "mptcp_disabled",
                             "MPTCP is disabled here (net.mptcp.enabled = 0): new sockets get plain TCP (sysctl -w net.mptcp.enabled=1)"))
        }
        for what in s.unreadable {
            out.append(.init(.warning, "unreadable", "could not read \(what)"))
        }
        if s.pathManager == "userspace" {
            out.append(.init(.info, "userspace_pm",
                             "the userspace path manager is selected (net.mptcp.path_manager): extra subflows come from a daemon such as mptcpd, not from endpoints and limits"))
        } else {
            out += configuration(s)
        }
        out += counters(s)
        if let snapshot = s.snapshot, s.pathManager != "userspace" {
            out += connections(snapshot, s)
        }
        if !out.contains(where: { $0.severity >= .warning }) {
            out.append(.init(.info, "no_problem", "nothing found that stops extra subflows"))
        }
        // Most severe first; the rules' own order within a severity.
        return out.enumerated().sorted { a, b in
            a.element.severity != b.element.severity ? a.element.severity > b.element.severity : a.offset < b.offset
        }.map(\.element)
    }

    // MARK: endpoints, limits, interfaces

    static func subflowEndpoints(_ s: PathManagerSetup, family: IPAddress.Family? = nil) -> [PathManagerEndpoint] {
        s.endpoints.filter { $0.flags.contains(.subflow) && (family == nil || $0.address?.family == family) }
    }

    /// Whether this host only answers connections (every connection accepted on a listener's port).
    static func passiveOnly(_ s: PathManagerSetup) -> Bool {
        guard let snap = s.snapshot, !snap.listeners.isEmpty, !snap.connections.isEmpty else { return false }
        return snap.connections.allSatisfy { isPassive($0, snap) }
    }

    static func isPassive(_ c: Connection, _ snap: Snapshot) -> Bool {
        snap.listeners.contains { $0.local.port == c.local.port }
    }

    static func configuration(_ s: PathManagerSetup) -> [DiagnosisFinding] {
        var out: [DiagnosisFinding] = []
        let subflow = subflowEndpoints(s)
        if let limits = s.limits {
            if limits.subflows == 0 {
                out.append(.init(.problem, "subflow_limit_zero",
                                 "the subflow limit is 0: no connection may have an extra subflow, opened or accepted (ip mptcp limits set subflow 2)"))
            } else if subflow.count > Int(limits.subflows) {
                out.append(.init(.info, "more_endpoints_than_limit",
                                 "\(subflow.count) 'subflow' endpoints but the subflow limit is \(limits.subflows): at most \(limits.subflows) extra subflow\(limits.subflows == 1 ? "" : "s") per connection (ip mptcp limits set subflow \(subflow.count))"))
            }
            if limits.addAddrAccepted == 0 {
                let announced = s.counters?["AddAddr"] ?? 0
                out.append(.init(announced > 0 ? .warning : .info, "add_addr_accepted_zero",
                                 "the add_addr_accepted limit is 0: addresses the peer announces are not used for extra subflows"
                                 + (announced > 0 ? " (the peer announced \(announced) so far, counter AddAddr)" : "")
                                 + " (ip mptcp limits set add_addr_accepted 2)"))
            }
        }
        if s.sysctls.first(where: { $0.name == "allow_join_initial_addr_port" })?.value == "0" {
            out.append(.init(.warning, "join_initial_address_denied",
                             "net.mptcp.allow_join_initial_addr_port is 0: peers are told not to open subflows to this host's initial address and port, so clients add subflows here only towards addresses a 'signal' endpoint announces (sysctl -w net.mptcp.allow_join_initial_addr_port=1)"))
        }
        if subflow.isEmpty {
            let serverOnly = passiveOnly(s)
            out.append(.init(serverOnly ? .info : .problem, "no_subflow_endpoint",
                             "no endpoint has the 'subflow' flag: this host will not open extra subflows (ip mptcp endpoint add ADDR dev IF subflow)"
                             + (serverOnly ? "; it only accepts connections here, so its extra subflows are the ones clients open" : "")))
        } else {
            for family in [IPAddress.Family.ipv4, .ipv6] where subflowEndpoints(s, family: family).isEmpty {
                let other = family == .ipv4 ? "IPv6" : "IPv4"
                let name = family == .ipv4 ? "IPv4" : "IPv6"
                out.append(.init(.info, "no_subflow_endpoint_\(family == .ipv4 ? "ipv4" : "ipv6")",
                                 "'subflow' endpoints are \(other) only: \(name) connections will not get extra subflows from this host"))
            }
        }
        for e in s.endpoints {
            let label = "endpoint \(e.address?.description ?? "id \(e.id)") (id \(e.id))"
            guard let index = s.endpointInterfaces[e.id] else {
                if e.address != nil {
                    out.append(.init(.warning, "endpoint_address_missing",
                                     "\(label) is not an address of any interface here: no subflow can start from it"))
                }
                continue
            }
            guard let link = s.link(index) else { continue }
            if !link.up {
                out.append(.init(.warning, "endpoint_interface_down", "\(label) is on \(link.name), which is down (ip link set \(link.name) up)"))
            } else if !link.running {
                out.append(.init(.warning, "endpoint_interface_down", "\(label) is on \(link.name), which has no carrier (link down at the other end)"))
            }
        }
        return out
    }

    // MARK: counters

    static func counters(_ s: PathManagerSetup) -> [DiagnosisFinding] {
        guard let c = s.counters else { return [] }
        func v(_ n: String) -> UInt64 { c[n] ?? 0 }
        let since = " since the namespace was created"
        var out: [DiagnosisFinding] = []
        let synTx = v("MPJoinSynTx"), synAck = v("MPJoinSynAckRx")
        if synTx > 0 && synAck == 0 {
            out.append(.init(.warning, "joins_unanswered",
                             "the peer did not accept joins: \(synTx) sent (MPJoinSynTx), none answered (MPJoinSynAckRx 0)\(since); check the peer's subflow limit, its firewall, and the route back"))
        } else if synTx > synAck {
            out.append(.init(.info, "joins_partly_unanswered",
                             "\(synTx - synAck) of \(synTx) joins sent got no answer (MPJoinSynTx \(synTx), MPJoinSynAckRx \(synAck))\(since)"))
        }
        if v("MPJoinRejected") > 0 {
            out.append(.init(.warning, "joins_rejected",
                             "this host rejected \(v("MPJoinRejected")) joins from peers (MPJoinRejected)\(since): its subflow limit\(s.limits.map { " (\($0.subflows))" } ?? "") was reached or the path manager refused"))
        }
        let localErrors = [("MPJoinSynTxCreatSkErr", "socket"), ("MPJoinSynTxBindErr", "bind"), ("MPJoinSynTxConnectErr", "connect")]
            .filter { v($0.0) > 0 }
        if !localErrors.isEmpty {
            let parts = localErrors.map { "\($0.0) \(v($0.0))" }.joined(separator: ", ")
            out.append(.init(.warning, "join_errors",
                             "joins failed before leaving this host (\(parts))\(since): an endpoint's address or route is unusable"))
        }
        let hmac = v("MPJoinSynAckHMacFailure") + v("MPJoinAckHMacFailure")
        if hmac > 0 {
            out.append(.init(.warning, "join_hmac_failures",
                             "\(hmac) joins failed authentication (MPJoin*HMacFailure)\(since): a middlebox may rewrite MPTCP options"))
        }
        let mpcTx = v("MPCapableSYNTX"), mpcAck = v("MPCapableSYNACKRX")
        if mpcTx > 0 && mpcAck == 0 {
            out.append(.init(.warning, "peer_not_mptcp",
                             "no peer answered MP_CAPABLE: \(mpcTx) MPTCP connections attempted (MPCapableSYNTX), 0 accepted (MPCapableSYNACKRX)\(since); the peers do not speak MPTCP or a middlebox strips it, so connections fell back to TCP"))
        }
        let fallbacks = c.entries.filter { MPTCPCounterGroup.of($0.name) == .fallbacks && $0.value > 0 && $0.name != "Blackhole" }
        if !fallbacks.isEmpty {
            let parts = fallbacks.map { "\($0.name) \($0.value)" }.joined(separator: ", ")
            out.append(.init(.info, "fallbacks_seen", "fallbacks to TCP\(since): \(parts)"))
        }
        if v("Blackhole") > 0 {
            out.append(.init(.warning, "blackhole",
                             "MPTCP blackhole detection fired \(v("Blackhole")) times (Blackhole): new connections used plain TCP for a while (net.mptcp.blackhole_timeout)"))
        }
        return out
    }

    // MARK: connections

    static func connections(_ snap: Snapshot, _ s: PathManagerSetup) -> [DiagnosisFinding] {
        var out: [DiagnosisFinding] = []
        for c in snap.connections where c.state == SocketState.established {
            let name = "connection \(hex(c.token)) (\(c.local) -> \(c.remote))"
            if c.fallback {
                out.append(.init(.warning, "fallback",
                                 "\(name) fell back to plain TCP: the peer or a middlebox did not keep MPTCP, so it cannot have extra subflows",
                                 token: c.token))
                continue
            }
            let extra = max(0, c.subflows.count - 1)
            let limit = s.limits.map { Int($0.subflows) }
            if let limit, limit > 0, extra >= limit {
                out.append(.init(.info, "subflow_limit_reached",
                                 "\(name) has \(c.subflows.count) subflows: its \(extra) extra = the subflow limit \(limit), no more will be added (ip mptcp limits set subflow \(limit + 1))",
                                 token: c.token))
                continue
            }
            guard c.subflows.count <= 1 else { continue }
            out.append(.init(.warning, "single_subflow", "\(name) has \(c.subflows.count == 0 ? "no subflow" : "a single subflow"): \(singleReason(c, snap, s))",
                             token: c.token))
        }
        return out
    }

    /// The likeliest reason a connection has no extra subflow, as a clause.
    static func singleReason(_ c: Connection, _ snap: Snapshot, _ s: PathManagerSetup) -> String {
        if s.limits?.subflows == 0 { return "the subflow limit is 0" }
        if isPassive(c, snap) {
            return "it was accepted here (port \(c.local.port)), so the peer opens extra subflows: check the peer's 'subflow' endpoints and limits"
        }
        let family = c.local.address.unmapped.family
        let candidates = subflowEndpoints(s, family: family)
        if candidates.isEmpty {
            return subflowEndpoints(s).isEmpty ? "no endpoint has the 'subflow' flag"
                : "no 'subflow' endpoint for \(family == .ipv4 ? "IPv4" : "IPv6")"
        }
        let usable = candidates.filter { e in
            guard let i = s.endpointInterfaces[e.id], let link = s.link(i) else { return false }
            return link.up && link.running && e.address?.unmapped != c.local.address.unmapped
        }
        if usable.isEmpty {
            return "its 'subflow' endpoints are unusable for it (interface down, address missing, or the address it already uses)"
        }
        let announced = s.events.contains { $0.kind == .announced && $0.token == c.token }
        if !announced, s.events.contains(where: { ($0.kind == .created || $0.kind == .established) && $0.token == c.token && $0.denyJoinID0 }) {
            return "the peer asked not to be joined at its initial address (deny-join-id0 in its MP_CAPABLE) and announced no other address (peer: net.mptcp.allow_join_initial_addr_port = 0)"
        }
        if let closedAtOnce = joinsClosedAtOnce(c.token, s.events), closedAtOnce > 0 {
            return "the peer took \(closedAtOnce == 1 ? "the join" : "\(closedAtOnce) joins") and closed \(closedAtOnce == 1 ? "it" : "them") at once (SUB_ESTABLISHED then SUB_CLOSED within a second): its subflow limit is reached or 0 (counter MPJoinRejected on the peer)"
        }
        if let counters = s.counters, let tx = counters["MPJoinSynTx"], tx > (counters["MPJoinSynAckRx"] ?? 0) {
            return "joins were sent but not all answered (MPJoinSynTx \(tx), MPJoinSynAckRx \(counters["MPJoinSynAckRx"] ?? 0)): the peer did not accept them"
        }
        return "no reason visible from this side: the join may still be under way, or the peer refused it (its subflow limit; its MPJoinRejected counter); 'mptop events' shows joins that close at once"
    }

    /// How many joins of connection `token` closed within a second of being established: what a
    /// peer that rejects joins at the last step of the handshake looks like from this side
    /// (observed on 6.18 with the peer's subflow limit at 0). Nil without events.
    static func joinsClosedAtOnce(_ token: UInt32, _ events: [PathManagerEvent]) -> Int? {
        guard !events.isEmpty else { return nil }
        var opened: [String: UInt64] = [:]
        var count = 0
        for e in events where e.token == token {
            let key = "\(e.local?.description ?? "")>\(e.remote?.description ?? "")"
            if e.kind == .subflowEstablished { opened[key] = e.monotonic }
            if e.kind == .subflowClosed, let t = opened.removeValue(forKey: key), e.monotonic &- t < 1_000_000_000 { count += 1 }
        }
        return count
    }
}
