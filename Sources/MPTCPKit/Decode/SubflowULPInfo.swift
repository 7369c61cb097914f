/// The MPTCP subflow part of `INET_DIAG_ULP_INFO` on a TCP socket.
///
/// Since 6.15 an unprivileged reader gets name, tokens, flags and ids; before 6.15 the whole
/// attribute needs CAP_NET_ADMIN (docs/kernel.md, "Joining subflows to connections"). Absent fields stay nil.
public struct SubflowULPInfo: Equatable, Sendable {
    /// The ULP name: "mptcp" for a subflow ("tls" for kTLS and so on).
    public var name: String?
    public var tokenRemote: UInt32?
    public var tokenLocal: UInt32?
    public var flags: UInt32?
    public var remoteID: UInt8?
    public var localID: UInt8?

    public init() {}

    public var isMPTCP: Bool { name == "mptcp" }
    /// MP_JOIN (additional) subflow rather than the initial MP_CAPABLE one.
    @inlinable public var isJoin: Bool? { flags.map { $0 & 0b1100 != 0 } }
    /// Backup, as either side set it.
    @inlinable public var backupLocal: Bool? { flags.map { $0 & 0b10_0000 != 0 } }
    @inlinable public var backupRemote: Bool? { flags.map { $0 & 0b1_0000 != 0 } }
    public var fullyEstablished: Bool? { flags.map { $0 & 0b100_0000 != 0 } }

    /// Decodes the payload of attribute 19 (nested INET_ULP_INFO_*).
    public init(_ v: ByteView) {
        var outer = NetlinkAttributes(v)
        while let a = outer.next() {
            switch a.type {
            case 1: // INET_ULP_INFO_NAME
                // Nearly always "mptcp": the literal, not a String decoded per subflow.
                name = a.payload.holdsCString("mptcp") ? "mptcp" : a.payload.cString()
            case 3: // INET_ULP_INFO_MPTCP
                decodeSubflowAttributes(a.payload)
            default:
                break
            }
        }
    }

    /// The MPTCP_SUBFLOW_ATTR_* mptop uses. The walk stops once all five are read, so what
    /// follows them (sequence numbers, pad, attributes of newer kernels) is not walked; with the
    /// plain `holdsCString` loop this decode went from 11.1 M to 9.0 M instructions at 20,000
    /// subflows (`callgrind`). An attribute repeated is therefore read the first time (the
    /// kernel never repeats one).
    private mutating func decodeSubflowAttributes(_ v: ByteView) {
        let all: UInt8 = 0b1_1111
        var seen: UInt8 = 0
        var inner = NetlinkAttributes(v)
        while seen != all, let s = inner.next() {
            switch s.type {
            case 1: tokenRemote = s.payload.u32(0); seen |= 1
            case 2: tokenLocal = s.payload.u32(0); seen |= 2
            case 8: flags = s.payload.u32(0); seen |= 4
            case 9: remoteID = s.payload.u8(0); seen |= 8
            case 10: localID = s.payload.u8(0); seen |= 16
            default: break // sequence numbers, pad, and whatever newer kernels add
            }
        }
    }
}
