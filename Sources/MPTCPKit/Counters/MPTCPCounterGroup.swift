/// What a counter is about, for the counters pane and for diagnose. Known 6.18 names are listed;
/// names a newer kernel adds are placed by their wording, else under `.other`.
public enum MPTCPCounterGroup: String, CaseIterable, Sendable {
    case handshakes
    case joins
    case fallbacks
    case addressSignalling = "address_signalling"
    case removals
    case retransmissions
    case resets
    case other

    public var title: String {
        switch self {
        case .handshakes: return "handshakes (MP_CAPABLE)"
        case .joins: return "joins (MP_JOIN)"
        case .fallbacks: return "fallbacks to TCP"
        case .addressSignalling: return "address signalling (ADD_ADDR, MP_PRIO)"
        case .removals: return "removals (RM_ADDR, subflows)"
        case .retransmissions: return "retransmission / reinjection"
        case .resets: return "resets (MP_TCPRST, MP_FASTCLOSE, MP_FAIL)"
        case .other: return "other"
        }
    }

    /// The group of counter `name`.
    public static func of(_ name: String) -> MPTCPCounterGroup {
        if let g = known[name] { return g }
        if name.contains("Fallback") { return .fallbacks }
        if name.contains("Reset") || name.hasPrefix("MPRst") || name.contains("Fastclose") || name.hasPrefix("MPFail") { return .resets }
        if name.hasPrefix("MPJoin") || name.hasPrefix("MismatchPort") { return .joins }
        if name.hasPrefix("MPCapable") { return .handshakes }
        if name.hasPrefix("Rm") { return .removals }
        if name.contains("AddAddr") || name.contains("EchoAdd") || name.hasPrefix("MPPrio") { return .addressSignalling }
        if name.contains("Retrans") || name.hasPrefix("OFO") || name.hasPrefix("DSS") || name.contains("Pruned") { return .retransmissions }
        return .other
    }

    /// Counters that are levels, not event counts: their delta can be negative.
    public static let gauges: Set<String> = ["MPCurrEstab"]

    static let known: [String: MPTCPCounterGroup] = {
        var m: [String: MPTCPCounterGroup] = [:]
        let table: [(MPTCPCounterGroup, [String])] = [
            (.handshakes, ["MPCapableSYNRX", "MPCapableSYNTX", "MPCapableSYNACKRX", "MPCapableACKRX", "MPCapableSYNTXDrop",
                           "MPCapableSYNTXDisabled", "MPCapableEndpAttempt", "MPCurrEstab"]),
            (.fallbacks, ["MPCapableFallbackACK", "MPCapableFallbackSYNACK", "MPFallbackTokenInit", "MPCapableDataFallback",
                          "MD5SigFallback", "DssFallback", "SimultConnectFallback", "FallbackFailed", "DSSCorruptionFallback",
                          "InfiniteMapTx", "InfiniteMapRx", "Blackhole"]),
            (.joins, ["MPJoinNoTokenFound", "MPJoinSynRx", "MPJoinSynBackupRx", "MPJoinSynAckRx", "MPJoinSynAckBackupRx",
                      "MPJoinSynAckHMacFailure", "MPJoinAckRx", "MPJoinAckHMacFailure", "MPJoinRejected", "MPJoinSynTx",
                      "MPJoinSynTxCreatSkErr", "MPJoinSynTxBindErr", "MPJoinSynTxConnectErr", "MPJoinPortSynRx",
                      "MPJoinPortSynAckRx", "MPJoinPortAckRx", "MismatchPortSynRx", "MismatchPortAckRx"]),
            (.addressSignalling, ["AddAddr", "AddAddrTx", "AddAddrTxDrop", "EchoAdd", "EchoAddTx", "EchoAddTxDrop", "PortAdd",
                                  "AddAddrDrop", "MPPrioTx", "MPPrioRx"]),
            (.removals, ["RmAddr", "RmAddrDrop", "RmAddrTx", "RmAddrTxDrop", "RmSubflow"]),
            (.retransmissions, ["MPTCPRetrans", "DuplicateData", "OFOQueueTail", "OFOQueue", "OFOMerge", "NoDSSInWindow",
                                "DSSNotMatching", "DSSNoMatchTCP", "DataCsumErr", "WinProbe", "SubflowStale", "SubflowRecover",
                                "BacklogDrop", "RcvPruned", "OFOPruned"]),
            (.resets, ["MPRstTx", "MPRstRx", "MPFastcloseTx", "MPFastcloseRx", "MPFailTx", "MPFailRx", "DSSCorruptionReset",
                       "MD5SigReset", "DssReset"]),
            (.other, ["SndWndShared", "RcvWndShared", "RcvWndConflictUpdate", "RcvWndConflict"]),
        ]
        for (group, names) in table { for n in names { m[n] = group } }
        return m
    }()
}
