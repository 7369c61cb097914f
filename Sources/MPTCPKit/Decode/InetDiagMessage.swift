/// The fixed part of one sock_diag reply (`struct inet_diag_msg`, 72 bytes, unchanged 5.15–6.18).
public struct InetDiagMessage {
    public static let size = 72

    public let family: IPAddress.Family
    public let state: UInt8
    public let sourcePort: UInt16
    public let destinationPort: UInt16
    public let source: IPAddress
    public let destination: IPAddress
    /// `sk_bound_dev_if`: the ifindex a subflow is bound to (0 = not bound).
    public let interfaceIndex: UInt32
    /// The socket cookie: what SOCK_DESTROY matches on; unique per socket.
    public let cookie: UInt64
    public let uid: UInt32
    /// Socket inode; subflows carry their MPTCP socket's inode (docs/kernel.md, "Joining subflows to connections").
    public let inode: UInt32
    /// Attributes after the fixed part.
    public let attributes: ByteView

    /// Decodes the payload of a SOCK_DIAG_BY_FAMILY reply; nil when it is shorter than the
    /// fixed part or names an address family other than IPv4/IPv6.
    public init?(_ payload: ByteView) {
        guard payload.count >= Self.size,
              let fam = payload.u8(0), let family = IPAddress.Family(rawValue: fam),
              let src = IPAddress(family: family, view: payload, offset: 8),
              let dst = IPAddress(family: family, view: payload, offset: 24),
              let attrs = payload.slice(Self.size, payload.count - Self.size)
        else { return nil }
        self.family = family
        state = payload.u8(1)!
        sourcePort = payload.be16(4)!
        destinationPort = payload.be16(6)!
        source = src
        destination = dst
        interfaceIndex = payload.u32(40)!
        cookie = UInt64(payload.u32(44)!) | UInt64(payload.u32(48)!) << 32
        uid = payload.u32(64)!
        inode = payload.u32(68)!
        attributes = attrs
    }
}

/// `INET_DIAG_*` reply attribute numbers used by mptop.
public enum InetDiagAttribute {
    public static let memInfo: UInt16 = 1
    public static let info: UInt16 = 2
    public static let congestion: UInt16 = 4
    public static let shutdown: UInt16 = 8
    public static let ulpInfo: UInt16 = 19
}
