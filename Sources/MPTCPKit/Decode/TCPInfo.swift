/// The `struct tcp_info` fields mptop shows, decoded by length.
///
/// `tcp_info` is append-only and every version ends exactly on a field (232 bytes up to 6.1,
/// 240 from 6.2, 248 from 6.7, 280 on 6.18), so a field is known exactly when it fits.
///
/// Every field reads as an Optional (nil: this kernel's `tcp_info` is too short for it), but
/// is stored as its plain value with one bit of `present` saying whether it is known: an
/// Optional per field cost a tag byte and its padding each (288 bytes against 160; a `Subflow` 496 against 360), and every
/// sample decodes, moves and copies 20,000 of these at 10,000 connections. An absent field's
/// value is always 0, so the synthesised `==` is the Optionals' `==`.
///
/// The accessors are inlinable (and the storage they read `@usableFromInline`): from another
/// module a call would take the struct by value, and `sf.tcp?.rtt` copied all 160 bytes out of
/// the subflow for every field the text table read.
public struct TCPInfo: Equatable, Sendable {
    /// One bit per field: which ones `present` says are known.
    @usableFromInline enum Field: Int {
        case state, caState, backoff, rto, sndMss, unacked, lost, retransInFlight, lastDataSent, lastDataReceived
        case lastAckReceived, pmtu, rtt, rttVar, sndSsthresh, sndCwnd, totalRetrans, pacingRate, bytesAcked, bytesReceived
        case segsOut, segsIn, notSentBytes, minRtt, deliveryRate, busyTime, bytesSent, bytesRetrans, sndWnd, rcvWnd
        case totalRTO

        @inlinable var bit: UInt32 { 1 << UInt32(rawValue) }
    }

    public var length: Int = 0
    // Widest first, so the struct packs without padding between them.
    @usableFromInline var pacingRateValue: UInt64 = 0, bytesAckedValue: UInt64 = 0, bytesReceivedValue: UInt64 = 0
    @usableFromInline var deliveryRateValue: UInt64 = 0, busyTimeValue: UInt64 = 0, bytesSentValue: UInt64 = 0, bytesRetransValue: UInt64 = 0
    @usableFromInline var rtoValue: UInt32 = 0, sndMssValue: UInt32 = 0, unackedValue: UInt32 = 0, lostValue: UInt32 = 0
    @usableFromInline var retransInFlightValue: UInt32 = 0, lastDataSentValue: UInt32 = 0, lastDataReceivedValue: UInt32 = 0
    @usableFromInline var lastAckReceivedValue: UInt32 = 0, pmtuValue: UInt32 = 0, rttValue: UInt32 = 0, rttVarValue: UInt32 = 0
    @usableFromInline var sndSsthreshValue: UInt32 = 0, sndCwndValue: UInt32 = 0, totalRetransValue: UInt32 = 0
    @usableFromInline var segsOutValue: UInt32 = 0, segsInValue: UInt32 = 0, notSentBytesValue: UInt32 = 0, minRttValue: UInt32 = 0
    @usableFromInline var sndWndValue: UInt32 = 0, rcvWndValue: UInt32 = 0
    @usableFromInline var present: UInt32 = 0
    @usableFromInline var totalRTOValue: UInt16 = 0
    @usableFromInline var stateValue: UInt8 = 0, caStateValue: UInt8 = 0, backoffValue: UInt8 = 0

    @inlinable @inline(__always)
    func value<T>(_ v: T, _ field: Field) -> T? { present & field.bit != 0 ? v : nil }

    @inlinable @inline(__always)
    static func store<T: FixedWidthInteger>(_ new: T?, in v: inout T, _ present: inout UInt32, _ field: Field) {
        if let new {
            v = new
            present |= field.bit
        } else {
            v = 0
            present &= ~field.bit
        }
    }

    @inlinable public var state: UInt8? {
        get { value(stateValue, .state) }
        set { Self.store(newValue, in: &stateValue, &present, .state) }
    }
    @inlinable public var caState: UInt8? {
        get { value(caStateValue, .caState) }
        set { Self.store(newValue, in: &caStateValue, &present, .caState) }
    }
    /// How often the retransmission (or zero-window probe) timer has backed off without an ACK.
    @inlinable public var backoff: UInt8? {
        get { value(backoffValue, .backoff) }
        set { Self.store(newValue, in: &backoffValue, &present, .backoff) }
    }
    /// The retransmission timeout, microseconds.
    @inlinable public var rto: UInt32? {
        get { value(rtoValue, .rto) }
        set { Self.store(newValue, in: &rtoValue, &present, .rto) }
    }
    @inlinable public var sndMss: UInt32? {
        get { value(sndMssValue, .sndMss) }
        set { Self.store(newValue, in: &sndMssValue, &present, .sndMss) }
    }
    @inlinable public var unacked: UInt32? {
        get { value(unackedValue, .unacked) }
        set { Self.store(newValue, in: &unackedValue, &present, .unacked) }
    }
    @inlinable public var lost: UInt32? {
        get { value(lostValue, .lost) }
        set { Self.store(newValue, in: &lostValue, &present, .lost) }
    }
    /// Segments retransmitted and still in flight.
    @inlinable public var retransInFlight: UInt32? {
        get { value(retransInFlightValue, .retransInFlight) }
        set { Self.store(newValue, in: &retransInFlightValue, &present, .retransInFlight) }
    }
    @inlinable public var lastDataSent: UInt32? {
        get { value(lastDataSentValue, .lastDataSent) }
        set { Self.store(newValue, in: &lastDataSentValue, &present, .lastDataSent) }
    }
    @inlinable public var lastDataReceived: UInt32? {
        get { value(lastDataReceivedValue, .lastDataReceived) }
        set { Self.store(newValue, in: &lastDataReceivedValue, &present, .lastDataReceived) }
    }
    /// Milliseconds since the last ACK arrived; every RTT sample comes from one, so this is
    /// also the age of `rtt`.
    @inlinable public var lastAckReceived: UInt32? {
        get { value(lastAckReceivedValue, .lastAckReceived) }
        set { Self.store(newValue, in: &lastAckReceivedValue, &present, .lastAckReceived) }
    }
    @inlinable public var pmtu: UInt32? {
        get { value(pmtuValue, .pmtu) }
        set { Self.store(newValue, in: &pmtuValue, &present, .pmtu) }
    }
    /// Smoothed RTT in microseconds.
    @inlinable public var rtt: UInt32? {
        get { value(rttValue, .rtt) }
        set { Self.store(newValue, in: &rttValue, &present, .rtt) }
    }
    @inlinable public var rttVar: UInt32? {
        get { value(rttVarValue, .rttVar) }
        set { Self.store(newValue, in: &rttVarValue, &present, .rttVar) }
    }
    @inlinable public var sndSsthresh: UInt32? {
        get { value(sndSsthreshValue, .sndSsthresh) }
        set { Self.store(newValue, in: &sndSsthreshValue, &present, .sndSsthresh) }
    }
    @inlinable public var sndCwnd: UInt32? {
        get { value(sndCwndValue, .sndCwnd) }
        set { Self.store(newValue, in: &sndCwndValue, &present, .sndCwnd) }
    }
    @inlinable public var totalRetrans: UInt32? {
        get { value(totalRetransValue, .totalRetrans) }
        set { Self.store(newValue, in: &totalRetransValue, &present, .totalRetrans) }
    }
    /// Bytes per second.
    @inlinable public var pacingRate: UInt64? {
        get { value(pacingRateValue, .pacingRate) }
        set { Self.store(newValue, in: &pacingRateValue, &present, .pacingRate) }
    }
    @inlinable public var bytesAcked: UInt64? {
        get { value(bytesAckedValue, .bytesAcked) }
        set { Self.store(newValue, in: &bytesAckedValue, &present, .bytesAcked) }
    }
    @inlinable public var bytesReceived: UInt64? {
        get { value(bytesReceivedValue, .bytesReceived) }
        set { Self.store(newValue, in: &bytesReceivedValue, &present, .bytesReceived) }
    }
    @inlinable public var segsOut: UInt32? {
        get { value(segsOutValue, .segsOut) }
        set { Self.store(newValue, in: &segsOutValue, &present, .segsOut) }
    }
    @inlinable public var segsIn: UInt32? {
        get { value(segsInValue, .segsIn) }
        set { Self.store(newValue, in: &segsInValue, &present, .segsIn) }
    }
    @inlinable public var notSentBytes: UInt32? {
        get { value(notSentBytesValue, .notSentBytes) }
        set { Self.store(newValue, in: &notSentBytesValue, &present, .notSentBytes) }
    }
    @inlinable public var minRtt: UInt32? {
        get { value(minRttValue, .minRtt) }
        set { Self.store(newValue, in: &minRttValue, &present, .minRtt) }
    }
    /// Bytes per second.
    @inlinable public var deliveryRate: UInt64? {
        get { value(deliveryRateValue, .deliveryRate) }
        set { Self.store(newValue, in: &deliveryRateValue, &present, .deliveryRate) }
    }
    /// Microseconds the subflow had data to send.
    @inlinable public var busyTime: UInt64? {
        get { value(busyTimeValue, .busyTime) }
        set { Self.store(newValue, in: &busyTimeValue, &present, .busyTime) }
    }
    @inlinable public var bytesSent: UInt64? {
        get { value(bytesSentValue, .bytesSent) }
        set { Self.store(newValue, in: &bytesSentValue, &present, .bytesSent) }
    }
    @inlinable public var bytesRetrans: UInt64? {
        get { value(bytesRetransValue, .bytesRetrans) }
        set { Self.store(newValue, in: &bytesRetransValue, &present, .bytesRetrans) }
    }
    @inlinable public var sndWnd: UInt32? {
        get { value(sndWndValue, .sndWnd) }
        set { Self.store(newValue, in: &sndWndValue, &present, .sndWnd) }
    }
    @inlinable public var rcvWnd: UInt32? {
        get { value(rcvWndValue, .rcvWnd) }
        set { Self.store(newValue, in: &rcvWndValue, &present, .rcvWnd) }
    }
    @inlinable public var totalRTO: UInt16? {
        get { value(totalRTOValue, .totalRTO) }
        set { Self.store(newValue, in: &totalRTOValue, &present, .totalRTO) }
    }

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
