/// Joins subflows to their MPTCP connections. Pure, so tests drive it with decoded fixtures.
///
/// Built from the MPTCP dump, then fed the TCP dump's subflows one by one: each goes straight
/// into its connection, so a subflow is never copied through an intermediate list.
public struct SubflowJoiner {
    public struct Result: Sendable {
        public var connections: [Connection]
        public var listeners: [Listener]
        public var unmatchedSubflows: Int
    }

    private var connections: [Connection] = []
    private var listeners: [Listener] = []
    private var byToken: [UInt32: Int] = [:]
    private var byInode: [UInt32: Int] = [:]
    private var unmatched = 0

    /// Splits the MPTCP dump into connections and listeners and indexes the connections.
    public init(sockets: [Connection]) {
        connections.reserveCapacity(sockets.count)
        byToken.reserveCapacity(sockets.count)
        byInode.reserveCapacity(sockets.count)
        for s in sockets {
            if s.state == .listen {
                listeners.append(Listener(local: s.local, inode: s.inode, uid: s.uid, process: nil))
                continue
            }
            var c = s
            c.subflows.reserveCapacity(2)
            if let token = c.token { byToken[token] = connections.count }
            if c.inode != 0 { byInode[c.inode] = connections.count }
            connections.append(c)
        }
    }

    /// True when `inode` belongs to a connection (how subflows are recognised without ULP info).
    public func isConnectionInode(_ inode: UInt32) -> Bool { byInode[inode] != nil }

    /// Puts a subflow under its connection: by local token (`TOKEN_LOC == mptcpi_token`) when the
    /// kernel gave ULP info, else by the socket inode it shares with its MPTCP socket (docs/kernel.md,
    /// "Joining subflows to connections"). Listener-side TCP sockets (LISTEN) are no connection's subflows and are dropped.
    public mutating func add(_ sf: Subflow) {
        guard sf.state != .listen else { return }
        let index: Int?
        if let token = sf.ulp?.tokenLocal, token != 0 {
            index = byToken[token]
        } else if sf.inode != 0 {
            index = byInode[sf.inode]
        } else {
            index = nil
        }
        if let index {
            connections[index].subflows.append(sf)
        } else {
            unmatched += 1
        }
    }

    /// The joined result, subflows in a stable order: initial first, then joins by local id.
    public mutating func finish() -> Result {
        for i in connections.indices where connections[i].subflows.count > 1 {
            // Usually already in order (the kernel lists them as created): skip the copies a sort makes.
            let sf = connections[i].subflows
            if !zip(sf, sf.dropFirst()).allSatisfy({ !Self.subflowOrder($1, $0) }) {
                connections[i].subflows.sort(by: Self.subflowOrder)
            }
        }
        return Result(connections: connections, listeners: listeners, unmatchedSubflows: unmatched)
    }

    /// The whole join in one call.
    public static func join(sockets: [Connection], subflows: [Subflow]) -> Result {
        var j = SubflowJoiner(sockets: sockets)
        for s in subflows { j.add(s) }
        return j.finish()
    }

    static func subflowOrder(_ a: Subflow, _ b: Subflow) -> Bool {
        let ja = a.ulp?.isJoin ?? false, jb = b.ulp?.isJoin ?? false
        if ja != jb { return !ja }
        let ia = a.ulp?.localID ?? 0, ib = b.ulp?.localID ?? 0
        if ia != ib { return ia < ib }
        return a.cookie < b.cookie
    }
}
