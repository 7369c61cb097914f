/// Decodes sock_diag reply messages into records. Pure: no I/O, so the unit tests feed it
/// captured kernel bytes directly.
public enum SockDiagDecoder {
    /// Decodes one MPTCP dump message (a connection, or a listener when its state is LISTEN)
    /// with no subflows yet; nil for a message too short to be a socket.
    public static func mptcpSocket(_ payload: ByteView) -> Connection? {
        guard let m = InetDiagMessage(payload) else { return nil }
        var c = connection(m)
        if let info = infoAttribute(m) { c.info = MPTCPInfo(info) }
        return c
    }

    /// The same decode appended to `sockets`, where the joiner keeps it; false (and nothing
    /// appended) for a message too short to be a socket. Built in the array's own memory, a
    /// socket is not moved from here to the caller to the joiner (`callgrind`: eleven copies of
    /// each connection on that way).
    static func mptcpSocket(_ payload: ByteView, appendingTo sockets: inout [Connection]) -> Bool {
        guard let m = InetDiagMessage(payload) else { return false }
        sockets.append(connection(m))
        if let info = infoAttribute(m) { sockets[sockets.count - 1].info = MPTCPInfo(info) }
        return true
    }

    private static func connection(_ m: InetDiagMessage) -> Connection {
        Connection(local: SocketAddress(m.source, m.sourcePort), remote: SocketAddress(m.destination, m.destinationPort),
                   state: SocketState(rawValue: m.state), cookie: m.cookie, inode: m.inode, uid: m.uid)
    }

    /// `INET_DIAG_INFO`'s payload (`struct mptcp_info`); the last one when repeated.
    private static func infoAttribute(_ m: InetDiagMessage) -> ByteView? {
        var info: ByteView?
        for a in NetlinkAttributes(m.attributes) where a.type == InetDiagAttribute.info { info = a.payload }
        return info
    }

    /// Decodes one TCP dump message and keeps it only if it is an MPTCP subflow.
    ///
    /// A socket is a subflow when its ULP is "mptcp". When the kernel hides ULP info (before
    /// 6.15 without CAP_NET_ADMIN), a socket is taken as a subflow when it carries the inode of
    /// an MPTCP socket (`isMPTCPInode`): subflows share their msk's inode (docs/kernel.md, "Joining subflows to connections").
    public static func subflow(_ payload: ByteView, isMPTCPInode: (UInt32) -> Bool) -> Subflow? {
        withUnsafeTemporaryAllocation(of: Subflow.self, capacity: 1) { room in
            subflow(payload, isMPTCPInode: isMPTCPInode, into: room.baseAddress!) ? room.baseAddress!.move() : nil
        }
    }

    /// The same decode into uninitialised memory, initialised only when it returns true: the
    /// joiner decodes each subflow where it keeps it (`SubflowJoiner.addSubflow(decoding:)`).
    static func subflow(_ payload: ByteView, isMPTCPInode: (UInt32) -> Bool, into slot: UnsafeMutablePointer<Subflow>) -> Bool {
        guard let m = InetDiagMessage(payload) else { return false }
        var infoView: ByteView?
        var ulp: SubflowULPInfo?
        var congestion: ByteView?
        for a in NetlinkAttributes(m.attributes) {
            switch a.type {
            case InetDiagAttribute.info: infoView = a.payload
            case InetDiagAttribute.ulpInfo: ulp = SubflowULPInfo(a.payload)
            case InetDiagAttribute.congestion: congestion = a.payload
            default: break
            }
        }
        if let ulp {
            guard ulp.isMPTCP else { return false }
        } else {
            guard m.inode != 0, isMPTCPInode(m.inode) else { return false }
        }
        slot.initialize(to: Subflow(local: SocketAddress(m.source, m.sourcePort), remote: SocketAddress(m.destination, m.destinationPort),
                                    state: SocketState(rawValue: m.state), boundInterfaceIndex: m.interfaceIndex, cookie: m.cookie, inode: m.inode, uid: m.uid))
        slot.pointee.ulp = consume ulp
        if let infoView { slot.pointee.tcp = TCPInfo(infoView) }
        if let congestion { slot.pointee.congestion = congestionName(congestion) }
        return true
    }

    /// `INET_DIAG_CONG`'s name: a literal for the usual ones rather than a String decoded per
    /// subflow (200 instructions each, `callgrind` at 20,000 subflows).
    static func congestionName(_ v: ByteView) -> String {
        if v.holdsCString("cubic") { return "cubic" }
        if v.holdsCString("bbr") { return "bbr" }
        if v.holdsCString("reno") { return "reno" }
        return v.cString()
    }
}
