import MPTCPKit

/// Whether path-manager events reach the exporter in a namespace, and if not, why: without
/// CAP_NET_ADMIN the kernel refuses the subscription and the event series are absent.
public enum EventsStatus: Sendable, Equatable {
    case subscribed
    case noPermission
    case unsupported
    case failed

    /// The `reason` label of `mptop_events_subscribed`.
    public var label: String {
        switch self {
        case .subscribed: return "subscribed"
        case .noPermission: return "no_cap_net_admin"
        case .unsupported: return "no_mptcp_pm_events"
        case .failed: return "error"
        }
    }
}

/// Everything the exporter knows about one namespace: the last sample, the MIB counters, and the
/// counters it accumulates itself (bytes across subflow churn, events, errors). A value: the
/// worker that owns the namespace updates it, a scrape renders a copy.
public struct NamespaceState: Sendable {
    /// The `netns` label.
    public let namespace: String
    public private(set) var snapshot: Snapshot?
    public private(set) var mib: MPTCPCounters?
    public private(set) var bytes = InterfaceByteCounters()
    public private(set) var events = EventCounters()
    public var eventsStatus: EventsStatus = .failed
    /// The last collection succeeded.
    public private(set) var up = false
    /// Why the last collection failed, for the log and the `/` page.
    public private(set) var lastError: String?
    public private(set) var errors: UInt64 = 0
    /// Seconds the last collection took (dump, decode, join, counters).
    public private(set) var duration: Double = 0

    public init(namespace: String) {
        self.namespace = namespace
    }

    public mutating func record(_ batch: PathManagerEventBatch) {
        events.record(batch)
    }

    /// A successful sample. `mib` is nil when the counters could not be read (their series are
    /// then absent; the sample's still count).
    public mutating func record(_ snapshot: Snapshot, mib: MPTCPCounters?, duration: Double) {
        bytes.update(with: snapshot)
        self.snapshot = snapshot
        self.mib = mib
        self.duration = duration
        up = true
        lastError = nil
    }

    /// A failed collection: the namespace's series from the sample are left out until the next
    /// success, the accumulated counters stay.
    public mutating func recordFailure(_ message: String, duration: Double) {
        snapshot = nil
        mib = nil
        self.duration = duration
        up = false
        lastError = message
        errors += 1
    }
}
