/// Builds `SOCK_DIAG_BY_FAMILY` dump requests (`struct inet_diag_req_v2`, 56 bytes).
public enum SockDiagRequest {
    public static let messageType: UInt16 = 20
    public static let destroyType: UInt16 = 21
    public static let ipprotoTCP: UInt8 = 6
    public static let ipprotoMPTCP: UInt32 = 262
    /// `INET_DIAG_REQ_PROTOCOL`: sdiag_protocol is a u8, so MPTCP (262) must travel here,
    /// or the kernel silently answers with the TCP dump (docs/kernel.md, "Dumping connections").
    static let reqProtocolAttribute: UInt16 = 3

    /// Every state except TIME-WAIT (6), LISTEN (10) and NEW-SYN-RECV (12): those are never
    /// subflows of a live connection, and skipping them saves work on busy servers.
    public static let subflowStates: UInt32 = 0x0fff & ~(1 << 6) & ~(1 << 10) & ~(1 << 12)
    public static let allStates: UInt32 = 0xffff_ffff

    /// A dump of MPTCP sockets (connections and listeners) of one family with `mptcp_info`.
    public static func mptcp(family: IPAddress.Family) -> NetlinkRequestBuilder {
        var b = NetlinkRequestBuilder(type: messageType, flags: NetlinkConstants.flagRequest | NetlinkConstants.flagDump)
        b.append(body(family: family, protocol: ipprotoTCP, ext: 1 << 1, states: allStates))
        b.appendAttribute(type: reqProtocolAttribute, u32: ipprotoMPTCP)
        return b
    }

    /// A dump of TCP sockets of one family with `tcp_info`, congestion control and ULP info.
    /// The INFO bit is what makes the kernel attach `INET_DIAG_ULP_INFO` at all.
    public static func tcp(family: IPAddress.Family) -> NetlinkRequestBuilder {
        var b = NetlinkRequestBuilder(type: messageType, flags: NetlinkConstants.flagRequest | NetlinkConstants.flagDump)
        b.append(body(family: family, protocol: ipprotoTCP, ext: (1 << 1) | (1 << 3), states: subflowStates))
        return b
    }

    /// The first pass on a busy host: every TCP socket of one family, no attribute asked for:
    /// 72 bytes a socket instead of about 420, enough to tell a subflow by the inode it shares
    /// with its MPTCP socket (measured: 70% of the time of the dump with tcp_info).
    public static func tcpIdentities(family: IPAddress.Family) -> NetlinkRequestBuilder {
        var b = NetlinkRequestBuilder(type: messageType, flags: NetlinkConstants.flagRequest | NetlinkConstants.flagDump)
        b.append(body(family: family, protocol: ipprotoTCP, ext: 0, states: subflowStates))
        return b
    }

    /// One TCP socket, by the identity (`inet_diag_sockid`: ports, addresses, interface, cookie)
    /// a dump reported it with, and what `tcp(family:)` asks for. The kernel finds it by its
    /// 4-tuple in the established hash and checks the cookie (ESTALE: another socket now).
    /// Nil when `payload` is no `inet_diag_msg`.
    public static func tcpSocket(reportedAs payload: ByteView) -> NetlinkRequestBuilder? {
        guard payload.count >= InetDiagMessage.size, let family = payload.u8(0).flatMap(IPAddress.Family.init(rawValue:)) else { return nil }
        var r = body(family: family, protocol: ipprotoTCP, ext: (1 << 1) | (1 << 3), states: subflowStates)
        r.replaceSubrange(8..<56, with: payload.base[4..<52])
        var b = NetlinkRequestBuilder(type: messageType, flags: NetlinkConstants.flagRequest)
        b.append(r)
        return b
    }

    /// `struct inet_diag_req_v2` with a wildcard socket id (cookie = INET_DIAG_NOCOOKIE).
    static func body(family: IPAddress.Family, protocol: UInt8, ext: UInt8, states: UInt32) -> [UInt8] {
        var r = [UInt8](repeating: 0, count: 56)
        r[0] = family.rawValue
        r[1] = `protocol`
        r[2] = ext
        withUnsafeBytes(of: states) { r.replaceSubrange(4..<8, with: $0) }
        for i in 48..<56 { r[i] = 0xff } // id.idiag_cookie = {~0, ~0}
        return r
    }
}
