/// Turns byte counters of two consecutive samples into rates (bits per second).
///
/// Keyed by socket cookie, which the kernel never reuses for another socket while it lives, so
/// a subflow that closes and a new one that opens are never mistaken for each other.
public struct RateTracker: Sendable {
    struct Counters: Sendable {
        var tx: UInt64
        var rx: UInt64
    }

    private var previousTime: UInt64?
    private var subflows: [UInt64: Counters] = [:]
    private var connections: [UInt64: Counters] = [:]

    public init() {}

    /// Annotates `snapshot` with rates against the previous call's snapshot, then remembers it.
    public mutating func annotate(_ snapshot: inout Snapshot) {
        let dt = previousTime.map { Double(snapshot.monotonic &- $0) / 1e9 } ?? 0
        var nextSubflows: [UInt64: Counters] = [:]
        var nextConnections: [UInt64: Counters] = [:]
        // Interface rates sum the subflow rates rather than diffing interface totals: a subflow
        // that closed would otherwise show up as a negative rate on its interface.
        var interfaceRates: [UInt32: (tx: Double, rx: Double)] = [:]
        nextSubflows.reserveCapacity(subflows.count)
        nextConnections.reserveCapacity(connections.count)

        for ci in snapshot.connections.indices {
            var connTx: UInt64 = 0, connRx: UInt64 = 0
            for si in snapshot.connections[ci].subflows.indices {
                let sf = snapshot.connections[ci].subflows[si]
                let now = Counters(tx: sf.tcp?.bytesAcked ?? 0, rx: sf.tcp?.bytesReceived ?? 0)
                nextSubflows[sf.cookie] = now
                connTx &+= now.tx
                connRx &+= now.rx
                guard dt > 0 else { continue }
                let before = subflows[sf.cookie] ?? Counters(tx: 0, rx: 0) // new since last sample: all its bytes are new
                let tx = Self.rate(now.tx, before.tx, dt), rx = Self.rate(now.rx, before.rx, dt)
                snapshot.connections[ci].subflows[si].txRate = tx
                snapshot.connections[ci].subflows[si].rxRate = rx
                if let index = sf.interfaceIndex {
                    let r = interfaceRates[index] ?? (0, 0)
                    interfaceRates[index] = (r.tx + tx, r.rx + rx)
                }
            }
            // MPTCP-level counters (6.5+) count data once even when it was re-injected on
            // another subflow; fall back to the sum of the subflows on older kernels.
            let c = snapshot.connections[ci]
            let now = Counters(tx: c.info?.bytesAcked ?? connTx, rx: c.info?.bytesReceived ?? connRx)
            nextConnections[c.cookie] = now
            if dt > 0 {
                let before = connections[c.cookie] ?? Counters(tx: 0, rx: 0)
                snapshot.connections[ci].txRate = Self.rate(now.tx, before.tx, dt)
                snapshot.connections[ci].rxRate = Self.rate(now.rx, before.rx, dt)
            }
        }
        if dt > 0 {
            for ii in snapshot.interfaces.indices {
                let r = interfaceRates[snapshot.interfaces[ii].index] ?? (0, 0)
                snapshot.interfaces[ii].txRate = r.tx
                snapshot.interfaces[ii].rxRate = r.rx
            }
        }
        previousTime = snapshot.monotonic
        subflows = nextSubflows
        connections = nextConnections
    }

    /// Bits per second; a counter that went backwards (a reused key) counts as no traffic.
    static func rate(_ now: UInt64, _ before: UInt64, _ dt: Double) -> Double {
        now >= before ? Double(now - before) * 8 / dt : 0
    }
}
