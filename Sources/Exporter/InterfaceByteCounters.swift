import MPTCPKit

/// Bytes per interface and direction that never go backwards, although the kernel forgets a
/// subflow's bytes when it closes.
///
/// Each live subflow is remembered by socket cookie (never reused while the socket lives) with
/// what it carried; when it leaves the dump, what it had carried moves into a per-interface
/// total of closed subflows. A Prometheus counter that dropped every time a subflow closed would
/// read as a counter reset and make every `rate()` over it lie.
///
/// Bytes a subflow carried after the last sample and before it closed are not counted: nothing
/// reports them any more. Sampling more often makes that smaller, never negative.
public struct InterfaceByteCounters: Sendable {
    public struct Totals: Sendable, Equatable {
        public var tx: UInt64
        public var rx: UInt64
        public init(tx: UInt64 = 0, rx: UInt64 = 0) {
            self.tx = tx
            self.rx = rx
        }
    }

    struct Live: Sendable {
        var interface: String
        /// What the subflow had carried when it was first counted on `interface`.
        var base: Totals
        /// The most it has reported since: the counters only move forward.
        var last: Totals
        var contribution: Totals { Totals(tx: last.tx &- base.tx, rx: last.rx &- base.rx) }
    }

    private var live: [UInt64: Live] = [:]
    /// Bytes of subflows that closed (or moved to another interface), per interface.
    private var retired: [String: Totals] = [:]

    public init() {}

    /// Takes the subflows of one sample: `(cookie, interface, bytes acked, bytes received)`.
    /// A subflow's first sample counts everything it carried so far: the bytes are real even if
    /// they were carried before the exporter started.
    public mutating func update(_ subflows: [(cookie: UInt64, interface: String, tx: UInt64, rx: UInt64)]) {
        var next: [UInt64: Live] = [:]
        next.reserveCapacity(subflows.count)
        for s in subflows {
            let now = Totals(tx: s.tx, rx: s.rx)
            guard var entry = live.removeValue(forKey: s.cookie) else {
                next[s.cookie] = Live(interface: s.interface, base: Totals(), last: now)
                continue
            }
            if entry.interface != s.interface {
                // The subflow's interface changed (its address moved): what it carried while
                // seen there stays with the old interface, the rest counts on the new one.
                retire(entry)
                entry = Live(interface: s.interface, base: entry.last, last: entry.last)
            }
            entry.last = Totals(tx: max(entry.last.tx, now.tx), rx: max(entry.last.rx, now.rx))
            next[s.cookie] = entry
        }
        for gone in live.values { retire(gone) }
        live = next
    }

    /// Takes the subflows of a snapshot; subflows whose interface is unknown are not counted
    /// (they are not in the interface shares either).
    public mutating func update(with snapshot: Snapshot) {
        var rows: [(cookie: UInt64, interface: String, tx: UInt64, rx: UInt64)] = []
        rows.reserveCapacity(snapshot.subflowCount)
        for c in snapshot.connections {
            for s in c.subflows {
                guard let name = s.interfaceName else { continue }
                rows.append((s.cookie, name, s.tcp?.bytesAcked ?? 0, s.tcp?.bytesReceived ?? 0))
            }
        }
        update(rows)
    }

    /// The totals per interface: closed subflows plus live ones. Every interface ever counted
    /// stays, so its series does not vanish when its last subflow closes.
    public var totals: [String: Totals] {
        var t = retired
        for entry in live.values {
            let c = entry.contribution
            let old = t[entry.interface] ?? Totals()
            t[entry.interface] = Totals(tx: old.tx &+ c.tx, rx: old.rx &+ c.rx)
        }
        return t
    }

    private mutating func retire(_ entry: Live) {
        let c = entry.contribution
        let old = retired[entry.interface] ?? Totals()
        retired[entry.interface] = Totals(tx: old.tx &+ c.tx, rx: old.rx &+ c.rx)
    }
}
