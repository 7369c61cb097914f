/// The type of a path-manager event: `genlmsghdr.cmd` of a message on the `mptcp_pm_events`
/// group (`MPTCP_EVENT_*`, docs/kernel.md, "Path-manager events"). Numbers the kernel adds later stay `.unknown(n)`
/// so they are shown, not dropped.
public enum PathManagerEventKind: Equatable, Hashable, Sendable {
    case created
    case established
    case closed
    case announced
    case removed
    case subflowEstablished
    case subflowClosed
    case subflowPriority
    /// 6.2 and later; iproute2 6.1 prints these as `[UNKNOWN 15]`.
    case listenerCreated
    case listenerClosed
    case unknown(UInt8)

    public init(rawValue: UInt8) {
        switch rawValue {
        case 1: self = .created
        case 2: self = .established
        case 3: self = .closed
        case 6: self = .announced
        case 7: self = .removed
        case 10: self = .subflowEstablished
        case 11: self = .subflowClosed
        case 13: self = .subflowPriority
        case 15: self = .listenerCreated
        case 16: self = .listenerClosed
        default: self = .unknown(rawValue)
        }
    }

    public var rawValue: UInt8 {
        switch self {
        case .created: return 1
        case .established: return 2
        case .closed: return 3
        case .announced: return 6
        case .removed: return 7
        case .subflowEstablished: return 10
        case .subflowClosed: return 11
        case .subflowPriority: return 13
        case .listenerCreated: return 15
        case .listenerClosed: return 16
        case .unknown(let n): return n
        }
    }

    /// Lower-case name for JSON and filters: "created", "sub_closed", "unknown_21".
    public var name: String {
        switch self {
        case .created: return "created"
        case .established: return "established"
        case .closed: return "closed"
        case .announced: return "announced"
        case .removed: return "removed"
        case .subflowEstablished: return "sub_established"
        case .subflowClosed: return "sub_closed"
        case .subflowPriority: return "sub_priority"
        case .listenerCreated: return "listener_created"
        case .listenerClosed: return "listener_closed"
        case .unknown(let n): return "unknown_\(n)"
        }
    }

    /// Upper-case label as the kernel names it, for text output: "SUB_CLOSED".
    public var label: String { name.uppercased() }

    /// Events about one subflow (they carry both addresses, ids, backup and maybe an interface).
    public var isSubflowEvent: Bool {
        self == .subflowEstablished || self == .subflowClosed || self == .subflowPriority
    }

    /// Events about a listening socket (no token).
    public var isListenerEvent: Bool { self == .listenerCreated || self == .listenerClosed }
}
