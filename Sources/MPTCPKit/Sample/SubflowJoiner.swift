/// Joins subflows to their MPTCP connections. Pure, so tests drive it with decoded fixtures.
///
/// Fed the MPTCP dump's sockets, then the TCP dump's subflows one by one. The TCP dump lists
/// subflows in the kernel's hash order, not by connection, so putting each straight into its
/// connection's array wrote all over 10,000 connections (`perf`: most of the join was the cache
/// miss on the connection's array). Subflows are kept in arrival order instead, each with its
/// connection's index, and `finish` hands them out connection by connection.
public struct SubflowJoiner {
    public struct Result: Sendable {
        public var connections: [Connection]
        public var listeners: [Listener]
        public var unmatchedSubflows: Int
    }

    private var connections: [Connection] = []
    private var listeners: [Listener] = []
    private var byToken = SocketIndex()
    private var byInode = SocketIndex()
    /// Joined subflows in arrival order, and the index in `connections` of each one's connection.
    private var arrived = ArrivedSubflows()
    private var owner: [Int32] = []
    private var unmatched = 0
    /// Subflows the connections added say they have (`mptcpi_subflows_total`): room made for
    /// them at the first subflow. Without the last sample's count (`mptop --once`), doubling
    /// up to 20,000 subflows touched the memory of half the page faults of the whole process
    /// (`perf record -e page-faults`); with the room made, 12,600 faults became 9,700.
    private var announced = 0

    /// An empty joiner; `expected` sockets and subflows get room up front (the last sample's).
    public init(expectedSockets: Int = 0, expectedSubflows: Int = 0) {
        connections.reserveCapacity(expectedSockets)
        byToken = SocketIndex(capacity: expectedSockets)
        byInode = SocketIndex(capacity: expectedSockets)
        arrived = ArrivedSubflows(capacity: expectedSubflows)
        owner.reserveCapacity(expectedSubflows)
    }

    /// Splits the MPTCP dump into connections and listeners and indexes the connections.
    public init(sockets: [Connection]) {
        self.init(expectedSockets: sockets.count)
        for s in sockets { addSocket(s) }
    }

    /// One socket of the MPTCP dump: a listener, or a connection its subflows are joined to.
    public mutating func addSocket(_ s: Connection) {
        if s.state == .listen {
            listeners.append(Listener(local: s.local, inode: s.inode, uid: s.uid, process: nil))
            return
        }
        if let token = s.token { byToken.insert(token, Int32(connections.count)) }
        if s.inode != 0 { byInode.insert(s.inode, Int32(connections.count)) }
        announced += Int(s.info?.subflowsTotal ?? 1)
        connections.append(s)
    }

    /// The inodes of every socket added (connections and listeners): whose owners to look up.
    public var socketInodes: [UInt32] { connections.map(\.inode) + listeners.map(\.inode) }

    /// True when `inode` belongs to a connection (how subflows are recognised without ULP info).
    public func isConnectionInode(_ inode: UInt32) -> Bool { byInode[inode] != nil }

    /// Puts a subflow under its connection: by local token (`TOKEN_LOC == mptcpi_token`) when the
    /// kernel gave ULP info, else by the socket inode it shares with its MPTCP socket (docs/kernel.md,
    /// "Joining subflows to connections"). Listener-side TCP sockets (LISTEN) are no connection's subflows and are dropped.
    /// Takes the subflow (`consuming`): it is moved into the joiner, not copied (a copy
    /// retains its strings, and the caller's original is destroyed right after).
    public mutating func add(_ sf: consuming Subflow) {
        guard sf.state != .listen else { return }
        let index: Int32?
        if let token = sf.ulp?.tokenLocal, token != 0 {
            index = byToken[token]
        } else if sf.inode != 0 {
            index = byInode[sf.inode]
        } else {
            index = nil
        }
        if let index {
            if !isKnownUniquelyReferenced(&arrived) { arrived = arrived.copy() }
            if arrived.count == 0, arrived.capacity < announced {
                // A little over: a subflow joining meanwhile must not double 20,000 of them.
                let room = announced + announced / 16
                arrived.reserve(room)
                owner.reserveCapacity(room)
            }
            arrived.append(sf)
            owner.append(index)
        } else {
            unmatched += 1
        }
    }

    /// The joined result, subflows in a stable order: initial first, then joins by local id.
    public mutating func finish() -> Result {
        // `take` moves the subflows out: a buffer another copy of this joiner holds is copied first.
        if !isKnownUniquelyReferenced(&arrived) { arrived = arrived.copy() }
        // Where each connection's subflows start among them sorted by connection (a counting
        // sort, stable: a connection's subflows keep the order they came in).
        var start = [Int](repeating: 0, count: connections.count + 1)
        for o in owner { start[Int(o) + 1] += 1 }
        for i in connections.indices { start[i + 1] += start[i] }
        var byConnection = [Int](repeating: 0, count: owner.count)
        var next = start
        for (k, o) in owner.enumerated() {
            byConnection[next[Int(o)]] = k
            next[Int(o)] += 1
        }
        for i in connections.indices {
            let arrivals = start[i] < start[i + 1]
            guard arrivals || connections[i].subflows.count > 1 else { continue }
            if arrivals {
                let subflows = arrived.take(byConnection[start[i]..<start[i + 1]])
                // A socket handed in with subflows of its own keeps them, the new ones after.
                if connections[i].subflows.isEmpty { connections[i].subflows = subflows } else { connections[i].subflows += subflows }
            }
            // Usually already in order (the kernel lists them as created): skip the copies a sort makes.
            if !Self.inOrder(connections[i].subflows) { connections[i].subflows.sort(by: Self.subflowOrder) }
        }
        arrived = ArrivedSubflows()
        owner = []
        return Result(connections: connections, listeners: listeners, unmatchedSubflows: unmatched)
    }

    /// The whole join in one call.
    public static func join(sockets: [Connection], subflows: [Subflow]) -> Result {
        var j = SubflowJoiner(sockets: sockets)
        for s in subflows { j.add(s) }
        return j.finish()
    }

    /// Whether `subflows` are in `subflowOrder` already; compares their keys in place, without
    /// copying whole subflows.
    private static func inOrder(_ subflows: [Subflow]) -> Bool {
        subflows.indices.dropFirst().allSatisfy { k in
            !Self.precedes(Self.orderKey(subflows[k]), Self.orderKey(subflows[k - 1]))
        }
    }

    static func subflowOrder(_ a: Subflow, _ b: Subflow) -> Bool { precedes(orderKey(a), orderKey(b)) }

    private static func orderKey(_ s: Subflow) -> (join: Bool, localID: UInt8, cookie: UInt64) {
        (s.ulp?.isJoin ?? false, s.ulp?.localID ?? 0, s.cookie)
    }

    private static func precedes(_ a: (join: Bool, localID: UInt8, cookie: UInt64), _ b: (join: Bool, localID: UInt8, cookie: UInt64)) -> Bool {
        if a.join != b.join { return !a.join }
        if a.localID != b.localID { return a.localID < b.localID }
        return a.cookie < b.cookie
    }
}

/// The joiner's subflows in arrival order, each moved out exactly once by `finish` rather than
/// copied out and then destroyed: a `Subflow` holds Strings, so every copy and every
/// destruction was a call that retains or releases them (`perf`: about 5 ms a sample at 20,000
/// subflows). A class, so a joiner copied by value shares it; `SubflowJoiner.add` copies it
/// first when it is shared, as an Array would.
final class ArrivedSubflows {
    private var base: UnsafeMutablePointer<Subflow>
    private(set) var capacity: Int
    /// Subflows stored; those below `count` that `take` moved out are marked in `taken`.
    private(set) var count = 0
    private var taken: [Bool] = []
    private var anyTaken = false

    init(capacity: Int = 0) {
        self.capacity = max(capacity, 1)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        for k in 0..<count where !anyTaken || !taken[k] { (base + k).deinitialize(count: 1) }
        base.deallocate()
    }

    func append(_ s: consuming Subflow) {
        precondition(!anyTaken, "ArrivedSubflows: append after take")
        if count == capacity { reserve(capacity * 2) }
        (base + count).initialize(to: s)
        count += 1
    }

    /// Room for at least `n` subflows in all.
    func reserve(_ n: Int) {
        guard n > capacity else { return }
        let bigger = UnsafeMutablePointer<Subflow>.allocate(capacity: n)
        bigger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = n
    }

    /// A copy, for a joiner that is no longer the only holder (never one `take` began on).
    func copy() -> ArrivedSubflows {
        precondition(!anyTaken, "ArrivedSubflows: copy after take")
        let c = ArrivedSubflows(capacity: capacity)
        for k in 0..<count { c.append(base[k]) }
        return c
    }

    /// Moves the subflows at `indices` out, in that order; each index may be taken once.
    func take(_ indices: ArraySlice<Int>) -> [Subflow] {
        if !anyTaken {
            taken = [Bool](repeating: false, count: count)
            anyTaken = true
        }
        // Locals, not the properties, in the loop: each access to a class's stored property
        // is an exclusivity check at run time (`swift_beginAccess`, 30,000 a sample).
        let base = self.base, count = self.count
        var taken = self.taken
        self.taken = [] // so `taken` is the only reference and is not copied on write
        defer { self.taken = taken }
        return [Subflow](unsafeUninitializedCapacity: indices.count) { buffer, initialized in
            for k in indices {
                precondition(k >= 0 && k < count && !taken[k], "ArrivedSubflows: subflow \(k) taken twice or out of range")
                taken[k] = true
                (buffer.baseAddress! + initialized).moveInitialize(from: base + k, count: 1)
                initialized += 1
            }
        }
    }
}
