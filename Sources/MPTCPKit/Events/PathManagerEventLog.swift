/// The last events of a namespace, oldest first, for the dashboard's event log pane: bounded so
/// a storm of events cannot grow memory, and filterable like the connection list.
public struct PathManagerEventLog: Sendable {
    public let capacity: Int
    public private(set) var events: [PathManagerEvent] = []
    /// Events dropped because the log was full, plus those the kernel reported lost (overruns
    /// count one each: the number lost is not known).
    public private(set) var dropped = 0
    public private(set) var overruns = 0

    public init(capacity: Int = 1000) {
        self.capacity = max(1, capacity)
    }

    public mutating func append(_ batch: PathManagerEventBatch) {
        if batch.overrun { overruns += 1 }
        for e in batch.events { append(e) }
    }

    public mutating func append(_ event: PathManagerEvent) {
        events.append(event)
        if events.count > capacity {
            let excess = events.count - capacity
            events.removeFirst(excess)
            dropped += excess
        }
    }

    /// The events whose text contains `needle` (see `PathManagerEventFilter`), oldest first.
    public func filtered(_ needle: String) -> [PathManagerEvent] {
        let n = needle.lowercased()
        return n.isEmpty ? events : events.filter { PathManagerEventFilter.matches($0, n) }
    }
}

/// The `/` filter for events, matching what the connection list matches: the token (8 hex
/// digits), an address or port, the interface name, plus the event type ("sub_closed") and the
/// close reason ("reset").
public enum PathManagerEventFilter {
    /// `needle` must already be lowercased.
    public static func matches(_ e: PathManagerEvent, _ needle: String) -> Bool {
        if let t = e.token, hex(t).contains(needle) { return true }
        if e.kind.name.contains(needle) { return true }
        if let l = e.local, l.description.lowercased().contains(needle) { return true }
        if let r = e.remote, r.description.lowercased().contains(needle) { return true }
        if let i = e.interfaceName, i.lowercased().contains(needle) { return true }
        if let reason = e.closeReason, reason.lowercased().contains(needle) { return true }
        return false
    }
}
