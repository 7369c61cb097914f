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
    /// Each arrived subflow's place in its connection's order, so `finish` orders their indices
    /// rather than moving whole subflows in a sort (many connections' subflows come in out of
    /// order, in one lab every one's: the TCP dump is in hash order).
    private var keys: [OrderKey] = []
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
        keys.reserveCapacity(expectedSubflows)
    }

    /// Splits the MPTCP dump into connections and listeners and indexes the connections.
    public init(sockets: [Connection]) {
        self.init(expectedSockets: sockets.count)
        for s in sockets { addSocket(s) }
    }

    /// One socket of the MPTCP dump: a listener, or a connection its subflows are joined to.
    /// Takes the socket (`consuming`): moved in, not copied (a copy retains its arrays).
    public mutating func addSocket(_ s: consuming Connection) {
        if s.state == .listen {
            listeners.append(Listener(local: s.local, inode: s.inode, uid: s.uid, process: nil))
            return
        }
        let (token, inode, total) = (s.token, s.inode, s.info?.subflowsTotal)
        connections.append(s)
        indexLast(token: token, inode: inode, subflowsTotal: total)
    }

    /// Decodes one MPTCP dump message (`SockDiagDecoder.mptcpSocket`) straight into the
    /// joiner's connections and adds it as `addSocket` does; false when it was no socket.
    public mutating func addSocket(decoding payload: ByteView) -> Bool {
        guard SockDiagDecoder.mptcpSocket(payload, appendingTo: &connections) else { return false }
        let last = connections.count - 1
        // Read in place: through the subscript each Optional `info` read copied all of it.
        let (listening, token, inode, total) = connections.withUnsafeBufferPointer { c in
            (c[last].state == .listen, c[last].token, c[last].inode, c[last].info?.subflowsTotal)
        }
        if listening {
            addSocket(connections.removeLast())
        } else {
            indexLast(token: token, inode: inode, subflowsTotal: total)
            // Room for the subflows the connection says it has, made now, while the TCP dump
            // is still coming: in a new process (`mptop --once`) the first touch of that memory
            // was most of `finish` (10,000 connections: 12 ms of page faults on the sample's
            // last stretch, with the other core idle), and a later sample allocates as often.
            if let total, total > 0 { connections[last].subflows.reserveCapacity(Int(total)) }
        }
        return true
    }

    /// Indexes the connection last added by its token and inode.
    private mutating func indexLast(token: UInt32?, inode: UInt32, subflowsTotal: UInt8?) {
        let index = Int32(connections.count - 1)
        if let token { byToken.insert(token, index) }
        if inode != 0 { byInode.insert(inode, index) }
        announced += Int(subflowsTotal ?? 1)
    }

    /// Connections added so far (listeners not counted).
    public var connectionCount: Int { connections.count }

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
        let slot = nextSlot()
        slot.initialize(to: sf)
        keep(slot)
    }

    /// Decodes one TCP dump message (`SockDiagDecoder.subflow`) straight into the joiner's
    /// storage and joins it as `add` does; true when it was a subflow (joined or not). Built
    /// where it stays, a subflow is not moved from the decoder to the caller to the joiner
    /// (360 bytes each time: `callgrind` counted ten copies a subflow on that way).
    public mutating func addSubflow(decoding payload: ByteView) -> Bool {
        let slot = nextSlot()
        guard SockDiagDecoder.subflow(payload, isMPTCPInode: { byInode[$0] != nil }, into: slot) else { return false }
        keep(slot)
        return true
    }

    /// Where the next subflow goes: uninitialised room at the end of `arrived`, which is this
    /// joiner's alone.
    private mutating func nextSlot() -> UnsafeMutablePointer<Subflow> {
        if !isKnownUniquelyReferenced(&arrived) { arrived = arrived.copy() }
        if arrived.count == 0, arrived.capacity < announced {
            // A little over: a subflow joining meanwhile must not double 20,000 of them.
            let room = announced + announced / 16
            arrived.reserve(room)
            owner.reserveCapacity(room)
            keys.reserveCapacity(room)
        }
        return arrived.nextSlot()
    }

    /// Keeps the subflow `nextSlot` was initialised with when it has a connection; else destroys it.
    private mutating func keep(_ slot: UnsafeMutablePointer<Subflow>) {
        let index: Int32?
        if slot.pointee.state == .listen {
            slot.deinitialize(count: 1)
            return
        } else if let token = slot.pointee.ulp?.tokenLocal, token != 0 {
            index = byToken[token]
        } else if slot.pointee.inode != 0 {
            index = byInode[slot.pointee.inode]
        } else {
            index = nil
        }
        guard let index else {
            slot.deinitialize(count: 1)
            unmatched += 1
            return
        }
        keys.append(OrderKey(slot.pointee))
        owner.append(index)
        arrived.commit()
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
        keys.withUnsafeBufferPointer { keys in
            byConnection.withUnsafeMutableBufferPointer { byConnection in
                for i in connections.indices {
                    let arrivals = UnsafeMutableBufferPointer(rebasing: byConnection[start[i]..<start[i + 1]])
                    guard !arrivals.isEmpty || connections[i].subflows.count > 1 else { continue }
                    if !arrivals.isEmpty {
                        Self.order(arrivals, by: keys)
                        // Ordered already, unless the socket was handed in with subflows of its
                        // own: it keeps them, the new ones after, and they are sorted together.
                        let own = connections[i].subflows.count
                        arrived.take(UnsafeBufferPointer(arrivals), appendingTo: &connections[i].subflows)
                        if own == 0 { continue }
                    }
                    if !Self.inOrder(connections[i].subflows) { connections[i].subflows.sort(by: Self.subflowOrder) }
                }
            }
        }
        arrived = ArrivedSubflows()
        owner = []
        keys = []
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
        subflows.indices.dropFirst().allSatisfy { k in !(OrderKey(subflows[k]) < OrderKey(subflows[k - 1])) }
    }

    static func subflowOrder(_ a: Subflow, _ b: Subflow) -> Bool { OrderKey(a) < OrderKey(b) }

    /// Sorts one connection's subflow indices by their keys, stably (an insertion sort: a
    /// connection has a few subflows, and they are two at most in order or reversed).
    private static func order(_ indices: UnsafeMutableBufferPointer<Int>, by keys: UnsafeBufferPointer<OrderKey>) {
        for k in indices.indices.dropFirst() {
            let moving = indices[k]
            var j = k
            while j > 0, keys[moving] < keys[indices[j - 1]] {
                indices[j] = indices[j - 1]
                j -= 1
            }
            indices[j] = moving
        }
    }

    /// A subflow's place among its connection's: the initial subflow first, then joins by local
    /// id, then by cookie.
    struct OrderKey: Comparable {
        /// Join flag above the local id: 0–255 for the initial subflow, 256–511 for joins.
        let rank: UInt16
        let cookie: UInt64

        init(_ s: borrowing Subflow) {
            let join: UInt16 = (s.ulp?.isJoin ?? false) ? 0x100 : 0
            rank = join | UInt16(s.ulp?.localID ?? 0)
            cookie = s.cookie
        }

        static func < (a: OrderKey, b: OrderKey) -> Bool { a.rank != b.rank ? a.rank < b.rank : a.cookie < b.cookie }
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

    /// Uninitialised room for one more subflow; `commit` counts it once it is initialised there.
    func nextSlot() -> UnsafeMutablePointer<Subflow> {
        precondition(!anyTaken, "ArrivedSubflows: append after take")
        if count == capacity { reserve(capacity * 2) }
        return base + count
    }

    /// Counts the subflow initialised at `nextSlot()`.
    func commit() {
        precondition(!anyTaken && count < capacity, "ArrivedSubflows: commit without a slot")
        count += 1
    }

    func append(_ s: consuming Subflow) {
        nextSlot().initialize(to: s)
        commit()
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

    /// Moves the subflows at `indices` out to the end of `subflows`, in that order; each index
    /// may be taken once.
    func take(_ indices: UnsafeBufferPointer<Int>, appendingTo subflows: inout [Subflow]) {
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
        // `reserveCapacity` and `append`, not `init(unsafeUninitializedCapacity:)`: that one
        // allocates through the standard library's unspecialised path, which looks up the
        // storage's type metadata at run time (670 instructions an array against 350,
        // `callgrind`), and the extra move of each subflow costs less than that.
        subflows.reserveCapacity(subflows.count + indices.count)
        for k in indices {
            precondition(k >= 0 && k < count && !taken[k], "ArrivedSubflows: subflow \(k) taken twice or out of range")
            taken[k] = true
            subflows.append((base + k).move())
        }
    }
}
