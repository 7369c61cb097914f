/// Findings about single connections of the latest sample, with the likeliest reason a
/// connection has no extra subflow.
extension DiagnosisRules {
    static func connections(_ snap: Snapshot, _ s: PathManagerSetup) -> [DiagnosisFinding] {
        var out: [DiagnosisFinding] = []
        for c in snap.connections where c.state == .established {
            // Without mptcp_info there is no token: the connection is named "-" and its findings
            // carry none, rather than a 00000000 that looks like a real token.
            let token = c.token
            let name = "connection \(tokenText(token)) (\(c.local) -> \(c.remote))"
            if c.fallback {
                out.append(.init(.warning, "fallback",
                                 "\(name) fell back to plain TCP: the peer or a middlebox did not keep MPTCP, so it cannot have extra subflows",
                                 token: token))
                continue
            }
            let extra = max(0, c.subflows.count - 1)
            let limit = s.limits.map { Int($0.subflows) }
            if let limit, limit > 0, extra >= limit {
                out.append(.init(.info, "subflow_limit_reached",
                                 "\(name) has \(c.subflows.count) subflows: its \(extra) extra = the subflow limit \(limit), no more will be added (ip mptcp limits set subflow \(limit + 1))",
                                 token: token))
                continue
            }
            guard c.subflows.count <= 1 else { continue }
            out.append(.init(.warning, "single_subflow", "\(name) has \(c.subflows.count == 0 ? "no subflow" : "a single subflow"): \(singleReason(c, snap, s))",
                             token: token))
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
        // Events name a connection by token: one that showed no token has none to look at (and
        // must not match listener events, which carry no token either).
        if let token = c.token {
            let mine = s.events.filter { $0.token == token }
            let announced = mine.contains { $0.kind == .announced }
            if !announced, mine.contains(where: { ($0.kind == .created || $0.kind == .established) && $0.denyJoinID0 }) {
                return "the peer asked not to be joined at its initial address (deny-join-id0 in its MP_CAPABLE) and announced no other address (peer: net.mptcp.allow_join_initial_addr_port = 0)"
            }
            if let closedAtOnce = joinsClosedAtOnce(token, s.events), closedAtOnce > 0 {
                return "the peer took \(closedAtOnce == 1 ? "the join" : "\(closedAtOnce) joins") and closed \(closedAtOnce == 1 ? "it" : "them") at once (SUB_ESTABLISHED then SUB_CLOSED within a second): its subflow limit is reached or 0 (counter MPJoinRejected on the peer)"
            }
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
