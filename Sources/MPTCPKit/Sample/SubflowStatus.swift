/// What a subflow is doing now, in one word, derived from what the kernel says of it
/// (`tcp_info`, the subflow's backup flag, its TCP state). The rules are documented in the
/// README ("Subflow status") and in docs/kernel.md ("What a subflow is doing").
///
/// The point is the case the raw figures hide: a path that died without a FIN or RST keeps its
/// last cwnd and RTT, which read as "healthy, fast". What tells it apart is data outstanding
/// with no ACK coming back, and the retransmission timer backing off.
public enum SubflowStatus: Equatable, Sendable {
    /// Still being set up (SYN sent or received).
    case opening
    /// Carrying data, or able to: established, nothing wrong.
    case active
    /// Established, but nothing sent or received for a while, and nothing outstanding.
    case idle
    /// A backup subflow that is not in use.
    case backup
    /// Data outstanding and no ACK for a while, or the retransmission timer backed off.
    /// `sinceAck` is how long ago the last ACK came (ms), when the kernel says.
    case stalled(sinceAck: UInt32?)
    /// Shutting down (FIN sent or received, or closed).
    case closing

    /// The word the dashboard, the table and the JSON use.
    public var word: String {
        switch self {
        case .opening: return "opening"
        case .active: return "active"
        case .idle: return "idle"
        case .backup: return "backup"
        case .stalled: return "stalled"
        case .closing: return "closing"
        }
    }

    public var isStalled: Bool {
        if case .stalled = self { return true }
        return false
    }

    /// No ACK for this long while data is outstanding makes a subflow stalled. It is well above
    /// any RTT the paths mptop is used on have, and an RTO this long has backed off anyway.
    public static let stallAfterMilliseconds: UInt32 = 1000
    /// Nothing sent or received for this long (and nothing outstanding) makes a subflow idle.
    public static let idleAfterMilliseconds: UInt32 = 1000

    /// `borrowing`: read in place, not copied (a copy of a subflow retains its strings; the
    /// dashboard asks every subflow at every refresh). Inlinable for the same reason: called
    /// across modules, it took a copy of the subflow all the same.
    @inlinable public init(_ subflow: borrowing Subflow) {
        self.init(state: subflow.state, unacked: subflow.tcpInfo.unacked, rtt: subflow.tcpInfo.rtt,
                  backoff: subflow.tcpInfo.backoff, lastAck: subflow.tcpInfo.lastAckReceived,
                  lastSent: subflow.tcpInfo.lastDataSent, lastReceived: subflow.tcpInfo.lastDataReceived, backup: subflow.backup)
    }

    /// The same for a writer that reads a subflow through a pointer into a snapshot's array.
    /// It hands on the six tcp_info fields the rules read, each read in place: a call given the
    /// tcp_info (or the subflow) took a copy of it first, 160 bytes for every subflow.
    @inlinable public init(_ subflow: UnsafePointer<Subflow>) {
        self.init(state: subflow.pointee.state, unacked: subflow.pointee.tcpInfo.unacked, rtt: subflow.pointee.tcpInfo.rtt,
                  backoff: subflow.pointee.tcpInfo.backoff, lastAck: subflow.pointee.tcpInfo.lastAckReceived,
                  lastSent: subflow.pointee.tcpInfo.lastDataSent, lastReceived: subflow.pointee.tcpInfo.lastDataReceived,
                  backup: subflow.pointee.backup)
    }

    /// The rules, from the `tcp_info` fields they read (nil: not known, as every field is when
    /// the kernel gave no tcp_info: nothing then says the subflow is in trouble).
    @usableFromInline init(state: SocketState, unacked: UInt32?, rtt: UInt32?, backoff: UInt8?, lastAck: UInt32?,
                           lastSent: UInt32?, lastReceived: UInt32?, backup: Bool) {
        switch state {
        case .established: break
        case .synSent, .synReceived, .newSynReceived: self = .opening; return
        default: self = .closing; return
        }
        let unacked = unacked ?? 0
        // An ACK overdue by more than a few RTTs; the RTT itself counts for slow paths.
        // (In 64 bits: the RTT is the kernel's number, and four times a corrupt one overflows.)
        let overdue = max(Self.stallAfterMilliseconds, UInt32(clamping: UInt64(rtt ?? 0) * 4 / 1000))
        if (backoff ?? 0) > 0 || (unacked > 0 && (lastAck ?? 0) >= overdue) {
            self = .stalled(sinceAck: lastAck)
            return
        }
        let quiet = unacked == 0 && (lastSent ?? 0) >= Self.idleAfterMilliseconds
            && (lastReceived ?? 0) >= Self.idleAfterMilliseconds
        if quiet {
            self = backup ? .backup : .idle
        } else {
            self = .active
        }
    }
}

extension Subflow {
    @inlinable public var status: SubflowStatus { SubflowStatus(self) }

    /// The RTT was last measured this long ago (ms) — every RTT sample comes with an ACK.
    public var rttAge: UInt32? { tcpInfo.lastAckReceived }

    /// Whether the RTT shown is old news: no ACK for a second or more (a stalled path, or one
    /// that only receives), so it says nothing about the path now.
    public var rttIsStale: Bool { (rttAge ?? 0) >= SubflowStatus.stallAfterMilliseconds }
}
