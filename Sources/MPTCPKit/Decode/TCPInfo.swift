/// The `struct tcp_info` fields mptop shows, decoded by length.
///
/// `tcp_info` is append-only and every version ends exactly on a field (232 bytes up to 6.1,
/// 240 from 6.2, 248 from 6.7, 280 on 6.18), so a field is known exactly when it fits.
public struct TCPInfo: Equatable, Sendable {
    public var state: UInt8?
    public var caState: UInt8?
    /// How often the retransmission (or zero-window probe) timer has backed off without an ACK.
    public var backoff: UInt8?
    /// The retransmission timeout, microseconds.
    public var rto: UInt32?
    public var sndMss: UInt32?
    public var unacked: UInt32?
    public var lost: UInt32?
    /// Segments retransmitted and still in flight.
    public var retransInFlight: UInt32?
    public var lastDataSent: UInt32?
    public var lastDataReceived: UInt32?
    /// Milliseconds since the last ACK arrived; every RTT sample comes from one, so this is
    /// also the age of `rtt`.
    public var lastAckReceived: UInt32?
    public var pmtu: UInt32?
    /// Smoothed RTT in microseconds.
    public var rtt: UInt32?
    public var rttVar: UInt32?
    public var sndSsthresh: UInt32?
    public var sndCwnd: UInt32?
    public var totalRetrans: UInt32?
    /// Bytes per second.
    public var pacingRate: UInt64?
    public var bytesAcked: UInt64?
    public var bytesReceived: UInt64?
    public var segsOut: UInt32?
    public var segsIn: UInt32?
    public var notSentBytes: UInt32?
    public var minRtt: UInt32?
    /// Bytes per second.
    public var deliveryRate: UInt64?
    /// Microseconds the subflow had data to send.
    public var busyTime: UInt64?
    public var bytesSent: UInt64?
    public var bytesRetrans: UInt64?
    public var sndWnd: UInt32?
    public var rcvWnd: UInt32?
    public var totalRTO: UInt16?

    public var length: Int = 0

    public init() {}

    public init(_ v: ByteView) {
        length = v.count
        state = v.u8(0)
        caState = v.u8(1)
        backoff = v.u8(4)
        rto = v.u32(8)
        sndMss = v.u32(16)
        unacked = v.u32(24)
        lost = v.u32(32)
        retransInFlight = v.u32(36)
        lastDataSent = v.u32(44)
        lastDataReceived = v.u32(52)
        lastAckReceived = v.u32(56)
        pmtu = v.u32(60)
        rtt = v.u32(68)
        rttVar = v.u32(72)
        sndSsthresh = v.u32(76)
        sndCwnd = v.u32(80)
        totalRetrans = v.u32(100)
        pacingRate = v.u64(104)
        bytesAcked = v.u64(120)
        bytesReceived = v.u64(128)
        segsOut = v.u32(136)
        segsIn = v.u32(140)
        notSentBytes = v.u32(144)
        minRtt = v.u32(148)
        deliveryRate = v.u64(160)
        busyTime = v.u64(168)
        bytesSent = v.u64(200)
        bytesRetrans = v.u64(208)
        sndWnd = v.u32(228)
        rcvWnd = v.u32(232)
        totalRTO = v.u16(240)
    }

    /// The kernel reports "infinite" ssthresh as 0x7fffffff before the first loss.
    public var ssthreshIsInfinite: Bool { (sndSsthresh ?? 0) >= 0x7fff_ffff }
}
