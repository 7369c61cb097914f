/// `struct mptcp_info` decoded by its length.
///
/// The kernel sends 48 bytes up to 6.4, 80 from 6.5, 88 from 6.8 and 96 from 6.10 (docs/kernel.md,
/// "Dumping connections"). Fields a kernel does not send are nil. Length gates follow the struct versions, not
/// the field offsets: the 48-byte struct has padding where 6.5 put `retransmits`.
public struct MPTCPInfo: Equatable, Sendable {
    /// Subflows besides the initial one (`mptcpi_subflows`).
    public var extraSubflows: UInt8 = 0
    public var addAddrSignal: UInt8 = 0
    public var addAddrAccepted: UInt8 = 0
    public var subflowsMax: UInt8 = 0
    public var addAddrSignalMax: UInt8 = 0
    public var addAddrAcceptedMax: UInt8 = 0
    public var flags: UInt32 = 0
    /// Local token, as `ss` prints it.
    public var token: UInt32 = 0
    public var writeSeq: UInt64 = 0
    public var sndUna: UInt64 = 0
    public var rcvNxt: UInt64 = 0
    public var localAddrUsed: UInt8? = nil
    public var localAddrMax: UInt8? = nil
    public var checksumEnabled: Bool? = nil
    // 6.5+
    public var retransmits: UInt32? = nil
    public var bytesRetrans: UInt64? = nil
    public var bytesSent: UInt64? = nil
    public var bytesReceived: UInt64? = nil
    public var bytesAcked: UInt64? = nil
    // 6.8+
    public var subflowsTotal: UInt8? = nil
    // 6.10+ (milliseconds)
    public var lastDataSent: UInt32? = nil
    public var lastDataReceived: UInt32? = nil
    public var lastAckReceived: UInt32? = nil

    /// The payload length this was decoded from.
    public var length: Int = 0

    @inlinable public var fallback: Bool { flags & 0x1 != 0 }
    @inlinable public var remoteKeyReceived: Bool { flags & 0x2 != 0 }

    public init() {}

    /// Decodes whatever prefix of the struct the kernel sent. Shorter than the 5.9 core
    /// (40 bytes up to `rcv_nxt`) keeps only the fields that fit.
    public init(_ v: ByteView) {
        length = v.count
        extraSubflows = v.u8(0) ?? 0
        addAddrSignal = v.u8(1) ?? 0
        addAddrAccepted = v.u8(2) ?? 0
        subflowsMax = v.u8(3) ?? 0
        addAddrSignalMax = v.u8(4) ?? 0
        addAddrAcceptedMax = v.u8(5) ?? 0
        flags = v.u32(8) ?? 0
        token = v.u32(12) ?? 0
        writeSeq = v.u64(16) ?? 0
        sndUna = v.u64(24) ?? 0
        rcvNxt = v.u64(32) ?? 0
        localAddrUsed = v.u8(40)
        localAddrMax = v.u8(41)
        checksumEnabled = v.u8(42).map { $0 != 0 }
        if v.count >= 80 {
            retransmits = v.u32(44)
            bytesRetrans = v.u64(48)
            bytesSent = v.u64(56)
            bytesReceived = v.u64(64)
            bytesAcked = v.u64(72)
        }
        if v.count >= 88 { subflowsTotal = v.u8(80) }
        if v.count >= 96 {
            lastDataSent = v.u32(84)
            lastDataReceived = v.u32(88)
            lastAckReceived = v.u32(92)
        }
    }
}
