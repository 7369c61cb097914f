/// Decodes sock_diag reply messages into records. Pure: no I/O, so the unit tests feed it
/// captured kernel bytes directly.
public enum SockDiagDecoder {
    /// Decodes one MPTCP dump message (a connection, or a listener when its state is LISTEN)
    /// with no subflows yet; nil for a message too short to be a socket.
    public static func mptcpSocket(_ payload: ByteView) -> Connection? {
        guard let m = InetDiagMessage(payload) else { return nil }
        var c = Connection(local: SocketAddress(m.source, m.sourcePort), remote: SocketAddress(m.destination, m.destinationPort),
                           state: SocketState(rawValue: m.state), cookie: m.cookie, inode: m.inode, uid: m.uid)
        for a in NetlinkAttributes(m.attributes) where a.type == InetDiagAttribute.info {
            c.info = MPTCPInfo(a.payload)
        }
        return c
    }

    /// Decodes one TCP dump message and keeps it only if it is an MPTCP subflow.
    ///
    /// A socket is a subflow when its ULP is "mptcp". When the kernel hides ULP info (before
    /// 6.15 without CAP_NET_ADMIN), a socket is taken as a subflow when it carries the inode of
    /// an MPTCP socket (`isMPTCPInode`): subflows share their msk's inode (docs/kernel.md, "Joining subflows to connections").
    public static func subflow(_ payload: ByteView, isMPTCPInode: (UInt32) -> Bool) -> Subflow? {
        guard let m = InetDiagMessage(payload) else { return nil }
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
            guard ulp.isMPTCP else { return nil }
        } else {
            guard m.inode != 0, isMPTCPInode(m.inode) else { return nil }
        }
        var s = Subflow(local: SocketAddress(m.source, m.sourcePort), remote: SocketAddress(m.destination, m.destinationPort),
                        state: SocketState(rawValue: m.state), boundInterfaceIndex: m.interfaceIndex, cookie: m.cookie, inode: m.inode, uid: m.uid)
        s.ulp = consume ulp
        s.tcp = infoView.map(TCPInfo.init)
        s.congestion = congestion.map(congestionName)
        return s
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
