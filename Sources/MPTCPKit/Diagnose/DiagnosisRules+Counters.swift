/// Findings from the namespace's MPTcpExt counters (cumulative since the namespace was created).
extension DiagnosisRules {
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
        // Saturating: the counters are numbers read from a file, and `+` traps on overflow.
        let (sum, overflow) = v("MPJoinSynAckHMacFailure").addingReportingOverflow(v("MPJoinAckHMacFailure"))
        let hmac = overflow ? UInt64.max : sum
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
}
