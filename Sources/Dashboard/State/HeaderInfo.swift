import MPTCPKit

/// Facts about the watched namespace that the header shows and that do not change per sample.
public struct HeaderInfo: Sendable, Equatable {
    public var host: String
    /// The watched namespace's name; nil for the namespace mptop started in.
    public var namespace: String?
    /// The namespace's path manager setting (nil when unreadable).
    public var pathManager: PathManagerKind?
    public var scheduler: String?
    /// Whether actions (closing subflows, failover tests) are allowed: CAP_NET_ADMIN and not --readonly.
    public var canAct: Bool
    /// Why actions are off, shown in the header ("no CAP_NET_ADMIN", "--readonly").
    public var readOnlyReason: String?

    public init(host: String, namespace: String?, pathManager: PathManagerKind?, scheduler: String?,
                canAct: Bool, readOnlyReason: String? = nil) {
        self.host = host
        self.namespace = namespace
        self.pathManager = pathManager
        self.scheduler = scheduler
        self.canAct = canAct
        self.readOnlyReason = readOnlyReason
    }
}
