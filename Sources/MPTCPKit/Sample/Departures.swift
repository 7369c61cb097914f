/// A subflow that left the kernel's dump while its connection stayed, kept with its last figures.
public struct DepartedSubflow: Sendable {
    /// The subflow as last seen: its final cwnd, RTT, bytes.
    public let subflow: Subflow
    public let connectionCookie: UInt64
    /// Nil when the connection had no mptcp_info (no token).
    public let connectionToken: UInt32?
    /// Why it closed, in words: from its SUB_CLOSED event when one arrived, else
    /// `Departures.goneFromDump`.
    public internal(set) var reason: String
    /// The SUB_CLOSED event that explains it, when one arrived.
    public internal(set) var event: PathManagerEvent?
    /// Wall-clock and monotonic time of the first sample without it.
    public let departedAt: Double
    public let departedMonotonic: UInt64
}

/// A connection that left the kernel's dump, kept with its last figures and subflows.
public struct DepartedConnection: Sendable {
    public let connection: Connection
    public internal(set) var reason: String
    /// The CLOSED event, when one arrived (it can be missing: docs/kernel.md, "Path-manager events").
    public internal(set) var event: PathManagerEvent?
    public let departedAt: Double
    public let departedMonotonic: UInt64
}

/// Keeps connections and subflows that vanished for `retention` seconds, so the dashboard can
/// show them dimmed with their final numbers and the reason they closed: people want the
/// figures of a subflow that just died, and the next sample no longer has them.
///
/// Feed it every sample (`update`) and every path-manager event (`note`), in any order: a
/// SUB_CLOSED that arrives before or after the sample that lost the subflow names the reason.
public struct Departures: Sendable {
    /// The reason given when no event explained the departure.
    public static let goneFromDump = "gone from the kernel's dump"

    /// Seconds a departed entry stays (default 30).
    public var retention: Double
    public private(set) var connections: [DepartedConnection] = []
    /// Subflows that left while their connection stayed. A departed connection keeps the
    /// subflows it had at the end in `connection.subflows`; those that left before stay here.
    public private(set) var subflows: [DepartedSubflow] = []

    private var previous: Snapshot?
    /// The previous snapshot's connection cookies in order, and whether they are known to be
    /// distinct (see `CookieLookup`).
    private var previousCookies: [UInt64] = []
    private var previousUnique = true
    /// Close events not yet matched to a departure, by the subflow's (token, local, remote) or
    /// the connection's token, so a sample that still shows the socket does not lose them.
    private var subflowCloses: [SubflowKey: PathManagerEvent] = [:]
    private var connectionCloses: [UInt32: PathManagerEvent] = [:]

    struct SubflowKey: Hashable, Sendable {
        let token: UInt32
        let local: SocketAddress
        let remote: SocketAddress

        init(token: UInt32, local: SocketAddress, remote: SocketAddress) {
            self.token = token
            // Event and dump may disagree on IPv4-mapped IPv6 addresses; compare the real ones.
            self.local = SocketAddress(local.address.unmapped, local.port)
            self.remote = SocketAddress(remote.address.unmapped, remote.port)
        }
    }

    public init(retention: Double = 30) {
        self.retention = retention
    }

    /// The departed subflows of the live connection with socket cookie `cookie`.
    public func subflows(ofConnection cookie: UInt64) -> [DepartedSubflow] {
        subflows.filter { $0.connectionCookie == cookie }
    }

    /// Takes a path-manager event: SUB_CLOSED and CLOSED give reasons; others are ignored.
    public mutating func note(_ event: PathManagerEvent) {
        guard let token = event.token else { return }
        switch event.kind {
        case .subflowClosed:
            guard let local = event.local, let remote = event.remote else { return }
            let key = SubflowKey(token: token, local: local, remote: remote)
            let reason = event.closeReason ?? "closed"
            if let i = subflows.firstIndex(where: { $0.event == nil && key == Self.key($0.connectionToken, $0.subflow) }) {
                subflows[i].reason = reason
                subflows[i].event = event
            } else {
                subflowCloses[key] = event
            }
        case .closed:
            if let i = connections.firstIndex(where: { $0.event == nil && $0.connection.token == token }) {
                connections[i].reason = event.closeReason ?? "connection closed"
                connections[i].event = event
            } else {
                connectionCloses[token] = event
            }
        default:
            break
        }
    }

    /// Compares `snapshot` with the previous one: what vanished is kept, what expired is dropped.
    public mutating func update(with snapshot: Snapshot) {
        let now = snapshot.monotonic
        var cookiesNow: [UInt64] = []
        cookiesNow.reserveCapacity(snapshot.connections.count)
        var uniqueNow = false
        defer {
            previous = snapshot
            previousCookies = cookiesNow
            previousUnique = uniqueNow
        }
        guard let previous else {
            for i in snapshot.connections.indices { cookiesNow.append(snapshot.connections[i].cookie) }
            expire(now)
            return
        }
        // For each previous connection, the index of the last live one with its cookie
        // (-1: gone), found by walking the live ones against the previous ones in order
        // (`CookieLookup`: no hashing while the dump keeps its order), not a Dictionary of
        // 10,000 cookies rebuilt at every sample. No set per connection either (a handful
        // of subflows each).
        var before = CookieLookup(cookies: previousCookies, unique: previousUnique)
        var live = [Int](repeating: -1, count: previous.connections.count)
        for i in snapshot.connections.indices {
            let cookie = snapshot.connections[i].cookie
            cookiesNow.append(cookie)
            if let p = before.position(of: cookie) { live[p] = i }
        }
        uniqueNow = before.allHit(snapshot.connections.count)
        for p in previous.connections.indices {
            // A cookie the previous sample listed twice answers at its last position.
            let index = before.unique ? live[p] : before.position(of: previous.connections[p].cookie).map { live[$0] } ?? -1
            // Still there with all its subflows (nearly always): no copy of it.
            if index >= 0, Self.keepsEvery(previous.connections[p].subflows, in: snapshot.connections[index].subflows) { continue }
            let old = previous.connections[p]
            guard index >= 0 else {
                let event = old.token.flatMap { connectionCloses.removeValue(forKey: $0) }
                connections.append(DepartedConnection(connection: old, reason: event?.closeReason ?? Self.goneFromDump, event: event,
                                                      departedAt: snapshot.time, departedMonotonic: now))
                for s in old.subflows { if let k = Self.key(old.token, s) { subflowCloses.removeValue(forKey: k) } }
                continue
            }
            let current = snapshot.connections[index].subflows
            for s in old.subflows where !current.contains(where: { $0.cookie == s.cookie }) {
                let event = Self.key(old.token, s).flatMap { subflowCloses.removeValue(forKey: $0) }
                subflows.append(DepartedSubflow(subflow: s, connectionCookie: old.cookie, connectionToken: old.token,
                                                reason: event?.closeReason ?? Self.goneFromDump, event: event,
                                                departedAt: snapshot.time, departedMonotonic: now))
            }
        }
        expire(now)
    }

    /// Drops what departed more than `retention` ago.
    private mutating func expire(_ now: UInt64) {
        let keep = UInt64(max(0, retention) * 1e9)
        connections.removeAll { now &- $0.departedMonotonic > keep }
        subflows.removeAll { now &- $0.departedMonotonic > keep }
        // Unmatched events are hints about sockets the dumps never showed; let them age out.
        subflowCloses = subflowCloses.filter { now &- $0.value.monotonic <= keep || $0.value.monotonic > now }
        connectionCloses = connectionCloses.filter { now &- $0.value.monotonic <= keep || $0.value.monotonic > now }
    }

    /// Whether every subflow of `old` is among `current`, compared by cookie in place.
    private static func keepsEvery(_ old: [Subflow], in current: [Subflow]) -> Bool {
        old.indices.allSatisfy { k in current.indices.contains { current[$0].cookie == old[k].cookie } }
    }

    /// Nil when neither the subflow nor its connection has a token: no event can name it.
    static func key(_ token: UInt32?, _ s: Subflow) -> SubflowKey? {
        (s.ulp?.tokenLocal ?? token).map { SubflowKey(token: $0, local: s.local, remote: s.remote) }
    }
}
