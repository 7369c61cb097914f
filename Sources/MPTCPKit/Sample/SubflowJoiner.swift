/// Joins subflows to their MPTCP connections. Pure, so tests drive it with decoded fixtures.
public enum SubflowJoiner {
    public struct Result: Sendable {
        public var connections: [Connection]
        public var listeners: [Listener]
        public var unmatchedSubflows: Int
    }

    /// Puts each subflow under its connection: by local token (`TOKEN_LOC == mptcpi_token`)
    /// when the kernel gave ULP info, else by the shared socket inode (KERNEL.md §3.3).
    /// Listener-side TCP sockets (LISTEN) are not subflows of any connection and are dropped.
    public static func join(sockets: [Connection], subflows: [Subflow]) -> Result {
        var connections: [Connection] = []
        var listeners: [Listener] = []
        connections.reserveCapacity(sockets.count)
        for s in sockets {
            if s.state == SocketState.listen {
                listeners.append(Listener(local: s.local, inode: s.inode, uid: s.uid, process: nil))
            } else {
                connections.append(s)
            }
        }
        var byToken: [UInt32: Int] = [:]
        var byInode: [UInt32: Int] = [:]
        byToken.reserveCapacity(connections.count)
        byInode.reserveCapacity(connections.count)
        for (i, c) in connections.enumerated() {
            if c.token != 0 { byToken[c.token] = i }
            if c.inode != 0 { byInode[c.inode] = i }
        }
        var unmatched = 0
        for sf in subflows where sf.state != SocketState.listen {
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
        // Initial subflow first, then joins by local id: a stable order between samples.
        for i in connections.indices where connections[i].subflows.count > 1 {
            connections[i].subflows.sort(by: subflowOrder)
        }
        return Result(connections: connections, listeners: listeners, unmatchedSubflows: unmatched)
    }

    static func subflowOrder(_ a: Subflow, _ b: Subflow) -> Bool {
        let ja = a.ulp?.isJoin ?? false, jb = b.ulp?.isJoin ?? false
        if ja != jb { return !ja }
        let ia = a.ulp?.localID ?? 0, ib = b.ulp?.localID ?? 0
        if ia != ib { return ia < ib }
        return a.cookie < b.cookie
    }
}
