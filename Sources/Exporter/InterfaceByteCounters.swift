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
        /// The sample that last showed it.
        var seen: UInt64
        var contribution: Totals { Totals(tx: last.tx &- base.tx, rx: last.rx &- base.rx) }
    }

    // Updated in place, one hash lookup per subflow and no new dictionary per sample: at
    // 20,000 subflows this runs on every scrape.
    private var live: [UInt64: Live] = [:]
    /// Bytes of subflows that closed (or moved to another interface), per interface.
    private var retired: [String: Totals] = [:]
    private var generation: UInt64 = 0

    /// Subflows remembered by cookie (the live ones) and interfaces with a total: what memory
    /// grows with. Closed subflows leave nothing of their own behind.
    public var footprint: (subflows: Int, interfaces: Int) { (live.count, retired.count) }

    public init() {}

    /// Takes the subflows of one sample: `(cookie, interface, bytes acked, bytes received)`.
    /// A subflow's first sample counts everything it carried so far: the bytes are real even if
    /// they were carried before the exporter started.
    public mutating func update(_ subflows: [(cookie: UInt64, interface: String, tx: UInt64, rx: UInt64)]) {
        generation &+= 1
        var seen = 0
        for s in subflows where observe(s.cookie, s.interface, s.tx, s.rx) { seen += 1 }
        retireUnseen(seen)
    }

    /// Takes the subflows of a snapshot; subflows whose interface is unknown are not counted
    /// (they are not in the interface shares either).
    public mutating func update(with snapshot: Snapshot) {
        generation &+= 1
        var seen = 0
        for c in snapshot.connections {
            for s in c.subflows {
                guard let name = s.interfaceName else { continue }
                if observe(s.cookie, name, s.tcpInfo.bytesAcked ?? 0, s.tcpInfo.bytesReceived ?? 0) { seen += 1 }
            }
        }
        retireUnseen(seen)
    }

    /// Counts one subflow of the current sample; false when the sample already had its cookie.
    private mutating func observe(_ cookie: UInt64, _ interface: String, _ tx: UInt64, _ rx: UInt64) -> Bool {
        guard let i = live.index(forKey: cookie) else {
            live[cookie] = Live(interface: interface, base: Totals(), last: Totals(tx: tx, rx: rx), seen: generation)
            return true
        }
        var entry = live.values[i]
        guard entry.seen != generation else { return false }
        if entry.interface != interface {
            // The subflow's interface changed (its address moved): what it carried while
            // seen there stays with the old interface, the rest counts on the new one.
            retire(entry)
            entry = Live(interface: interface, base: entry.last, last: entry.last, seen: entry.seen)
        }
        entry.last = Totals(tx: max(entry.last.tx, tx), rx: max(entry.last.rx, rx))
        entry.seen = generation
        live.values[i] = entry
        return true
    }

    /// Subflows the sample did not show have closed: their bytes move to their interface's total.
    private mutating func retireUnseen(_ seen: Int) {
        guard live.count > seen else { return }
        for (cookie, entry) in live where entry.seen != generation {
            retire(entry)
            live[cookie] = nil
        }
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
