/// How a failover test makes an interface fail for one connection.
public enum FailoverMode: String, Sendable, CaseIterable {
    /// Drop that connection's packets on the interface (nftables table of mptop's own).
    case blackhole
    /// Close that connection's subflows on the interface; re-create them afterwards where the
    /// path manager allows (userspace PM only: the in-kernel one never re-creates them).
    case close
    /// Demote the interface to backup (its endpoint for the in-kernel PM, its subflows of this
    /// connection for the userspace PM).
    case backup

    public static func parse(_ text: String) throws -> FailoverMode {
        guard let m = FailoverMode(rawValue: text) else {
            throw MPTopError.invalidRequest("unknown failover mode '\(text)' (modes: blackhole, close, backup)")
        }
        return m
    }
}

/// Which connections a failover test is for.
public enum FailoverTarget: Sendable, Equatable {
    /// The connection with this token, as people type it (`mptop failover --token`).
    case token(UInt32)
    /// The connection with this identity (`f` on a connection row).
    case connection(ConnectionID)
    /// Every MPTCP connection with a subflow on the interface (`f` on an interface row).
    case everyConnection
}

/// What a failover test is asked to do.
public struct FailoverConfig: Sendable, Equatable {
    public var target: FailoverTarget
    public var interface: String
    public var mode: FailoverMode
    /// Seconds the failure lasts.
    public var duration: Double
    /// Seconds measured before the failure ("before") and after the restore ("after").
    public var baseline: Double
    public var settle: Double
    /// The namespace the test runs in (for the journal; the caller has entered it).
    public var namespace: String?
    public var pathManager: PathManagerKind
    public var journalDirectory: String

    public init(target: FailoverTarget, interface: String, mode: FailoverMode, duration: Double, baseline: Double = 2, settle: Double = 2,
                namespace: String? = nil, pathManager: PathManagerKind = .current(),
                journalDirectory: String = ActionJournal.defaultDirectory) {
        self.target = target
        self.interface = interface
        self.mode = mode
        self.duration = duration
        self.baseline = baseline
        self.settle = settle
        self.namespace = namespace
        self.pathManager = pathManager
        self.journalDirectory = journalDirectory
    }
}

/// Something that happened during a test, `time` seconds after it started.
public struct FailoverEvent: Sendable, Equatable {
    public let time: Double
    public let text: String
}
