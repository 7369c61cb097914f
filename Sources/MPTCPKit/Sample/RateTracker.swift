/// Turns byte counters of two consecutive samples into rates (bits per second).
///
/// Keyed by socket cookie, which the kernel never reuses for another socket while it lives, so
/// a subflow that closes and a new one that opens are never mistaken for each other.
public struct RateTracker: Sendable {
    struct Counters: Sendable {
        var tx: UInt64
        var rx: UInt64
    }

    /// One sample's counters, in the order of its snapshot (see `CookieLookup`).
    struct Remembered: Sendable {
        var cookies: [UInt64] = []
        var counters: [Counters] = []
        /// Whether `cookies` are known to be distinct.
        var unique = true

        init(reservingCapacity n: Int = 0) {
            cookies.reserveCapacity(n)
            counters.reserveCapacity(n)
        }

        mutating func append(_ cookie: UInt64, _ c: Counters) {
            cookies.append(cookie)
            counters.append(c)
        }
    }

    private var previousTime: UInt64?
    private var subflows = Remembered()
    private var connections = Remembered()

    public init() {}

    /// Annotates `snapshot` with rates against the previous call's snapshot, then remembers it.
    public mutating func annotate(_ snapshot: inout Snapshot) {
        let dt = previousTime.map { Double(snapshot.monotonic &- $0) / 1e9 } ?? 0
        var nextSubflows = Remembered(reservingCapacity: subflows.cookies.count)
        var nextConnections = Remembered(reservingCapacity: connections.cookies.count)
        var subflowsBefore = CookieLookup(cookies: subflows.cookies, unique: subflows.unique)
        var connectionsBefore = CookieLookup(cookies: connections.cookies, unique: connections.unique)
        // Interface rates sum the subflow rates rather than diffing interface totals: a subflow
        // that closed would otherwise show up as a negative rate on its interface. A short list
        // searched in turn: subflows use a handful of interfaces, and it spares a hash per subflow.
        var interfaceRates: [(index: UInt32, tx: Double, rx: Double)] = []

        for ci in snapshot.connections.indices {
            var connTx: UInt64 = 0, connRx: UInt64 = 0
            for si in snapshot.connections[ci].subflows.indices {
                // Fields read in place: a copy of the whole subflow retains its strings.
                let cookie = snapshot.connections[ci].subflows[si].cookie
                let tcp = snapshot.connections[ci].subflows[si].tcp
                let now = Counters(tx: tcp?.bytesAcked ?? 0, rx: tcp?.bytesReceived ?? 0)
                nextSubflows.append(cookie, now)
                connTx &+= now.tx
                connRx &+= now.rx
                guard dt > 0 else { continue }
                // New since last sample: all its bytes are new.
                let before = subflowsBefore.position(of: cookie).map { subflows.counters[$0] } ?? Counters(tx: 0, rx: 0)
                let tx = Self.rate(now.tx, before.tx, dt), rx = Self.rate(now.rx, before.rx, dt)
                snapshot.connections[ci].subflows[si].txRate = tx
                snapshot.connections[ci].subflows[si].rxRate = rx
                if let index = snapshot.connections[ci].subflows[si].interfaceIndex {
                    if let k = interfaceRates.firstIndex(where: { $0.index == index }) {
                        interfaceRates[k].tx += tx
                        interfaceRates[k].rx += rx
                    } else {
                        interfaceRates.append((index, tx, rx))
                    }
                }
            }
            // MPTCP-level counters (6.5+) count data once even when it was re-injected on
            // another subflow; fall back to the sum of the subflows on older kernels.
            let cookie = snapshot.connections[ci].cookie
            let info = snapshot.connections[ci].info
            let now = Counters(tx: info?.bytesAcked ?? connTx, rx: info?.bytesReceived ?? connRx)
            nextConnections.append(cookie, now)
            if dt > 0 {
                let before = connectionsBefore.position(of: cookie).map { connections.counters[$0] } ?? Counters(tx: 0, rx: 0)
                snapshot.connections[ci].txRate = Self.rate(now.tx, before.tx, dt)
                snapshot.connections[ci].rxRate = Self.rate(now.rx, before.rx, dt)
            }
        }
        if dt > 0 {
            for ii in snapshot.interfaces.indices {
                let r = interfaceRates.first { $0.index == snapshot.interfaces[ii].index }
                snapshot.interfaces[ii].txRate = r?.tx ?? 0
                snapshot.interfaces[ii].rxRate = r?.rx ?? 0
            }
        }
        // Known distinct only when every cookie was found at the cursor (no lookups when dt is 0).
        nextSubflows.unique = dt > 0 && subflowsBefore.allHit(nextSubflows.cookies.count)
        nextConnections.unique = dt > 0 && connectionsBefore.allHit(nextConnections.cookies.count)
        previousTime = snapshot.monotonic
        subflows = nextSubflows
        connections = nextConnections
    }

    /// Bits per second; a counter that went backwards (a reused key) counts as no traffic.
    static func rate(_ now: UInt64, _ before: UInt64, _ dt: Double) -> Double {
        now >= before ? Double(now - before) * 8 / dt : 0
    }
}
