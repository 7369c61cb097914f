/// One decoded event of the `mptcp_pm` family's `mptcp_pm_events` group.
///
/// Every field the kernel may leave out is optional: which attributes an event carries
/// changed across kernels (docs/kernel.md, "Path-manager events"). Attributes this decoder does not know, or whose
/// length it does not understand, are kept in `rawAttributes` so nothing is silently lost.
public struct PathManagerEvent: Sendable, Equatable {
    /// An attribute kept as bytes: its type and payload.
    public struct RawAttribute: Equatable, Sendable {
        public let type: UInt16
        public let bytes: [UInt8]

        public init(type: UInt16, bytes: [UInt8]) {
            self.type = type
            self.bytes = bytes
        }

        /// The payload as lower-case hex, e.g. "0a000001".
        public var hex: String {
            var s = ""
            s.reserveCapacity(bytes.count * 2)
            for b in bytes {
                if b < 16 { s += "0" }
                s += String(b, radix: 16)
            }
            return s
        }
    }

    /// `MPTCP_PM_EV_FLAG_*` bits of `MPTCP_ATTR_FLAGS`.
    public enum Flag {
        public static let denyJoinID0: UInt16 = 1 << 0
        /// 6.18: replaces the deprecated SERVER_SIDE attribute.
        public static let serverSide: UInt16 = 1 << 1
    }

    public var kind: PathManagerEventKind
    /// The local token of the MPTCP connection (what `mptop` and `ss` show); nil for listener events.
    public var token: UInt32?
    public var family: IPAddress.Family?
    /// Local address and port (SADDR/SPORT). For a listener: the listening address.
    public var local: SocketAddress?
    /// Remote address and port (DADDR/DPORT). For ANNOUNCED: the address the peer announced.
    public var remote: SocketAddress?
    public var localID: UInt8?
    public var remoteID: UInt8?
    public var backup: Bool?
    /// The device the subflow is bound to (`MPTCP_ATTR_IF_IDX`), only sent for bound subflows.
    public var interfaceIndex: Int32?
    /// The interface the event is about: the bound device, else the one owning the local
    /// address, else the route to the peer. Filled in by `PathManagerEventSource`, nil when unknown.
    public var interfaceName: String?
    public var error: PathManagerEventError?
    public var resetReason: PathManagerResetReason?
    /// `reset_transient` (the T bit of MP_TCPRST).
    public var resetFlags: UInt32?
    /// `MPTCP_ATTR_FLAGS`, omitted by the kernel when 0 (and absent before late 6.x).
    public var flags: UInt16?
    /// The deprecated `MPTCP_ATTR_SERVER_SIDE` (6.1-era kernels send it always, 6.18 only when 1).
    public var serverSideAttribute: UInt8?
    /// `MPTCP_ATTR_TIMEOUT`: defined, not sent by current kernels.
    public var timeout: UInt32?
    /// Wall-clock seconds when mptop received the event.
    public var time: Double
    /// Monotonic nanoseconds when mptop received the event.
    public var monotonic: UInt64
    public var rawAttributes: [RawAttribute] = []
    /// The attribute list ended in a malformed attribute; what came before it was kept.
    public var truncated = false

    public init(kind: PathManagerEventKind, time: Double = 0, monotonic: UInt64 = 0) {
        self.kind = kind
        self.time = time
        self.monotonic = monotonic
    }

    /// The event happened on the passive (server) side of the connection: the FLAGS bit on
    /// 6.18, else the deprecated SERVER_SIDE attribute; nil when the kernel said neither.
    public var serverSide: Bool? {
        if let flags, flags & Flag.serverSide != 0 { return true }
        if let s = serverSideAttribute { return s != 0 }
        return flags.map { _ in false }
    }

    /// The peer asked not to be joined at its initial address (MP_CAPABLE C bit).
    public var denyJoinID0: Bool { (flags ?? 0) & Flag.denyJoinID0 != 0 }

    /// Why a subflow or connection closed, in words, or nil when the event is not a close.
    public var closeReason: String? {
        switch kind {
        case .subflowClosed:
            if let r = resetReason {
                let peer = "reset by peer: \(r.text)" + ((resetFlags ?? 0) & 1 != 0 ? " (transient)" : "")
                if let e = error, e.errno != 104 { return "\(e.text); \(peer)" }
                return peer
            }
            if let e = error { return e.text }
            return "closed"
        case .closed:
            return "connection closed"
        case .removed:
            return "peer removed address id \(remoteID.map { String($0) } ?? "?")"
        default:
            return nil
        }
    }
}
