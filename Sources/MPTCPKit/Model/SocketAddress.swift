/// An address and port, printed `ADDR:PORT` (IPv6 `[ADDR]:PORT`) like `ss`.
public struct SocketAddress: Hashable, Sendable, CustomStringConvertible {
    public let address: IPAddress
    public let port: UInt16

    public init(_ address: IPAddress, _ port: UInt16) {
        self.address = address
        self.port = port
    }

    public var description: String { address.withPort(port) }
}

/// A TCP/MPTCP socket state by the kernel's numbering (`idiag_state`), named as `ss` names them.
/// A struct rather than an enum so a state this code does not know (a newer kernel's) is kept as
/// it came and printed `STATE-n`, never mapped onto a known one.
public struct SocketState: RawRepresentable, Hashable, Sendable {
    public let rawValue: UInt8

    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let established = SocketState(rawValue: 1)
    public static let synSent = SocketState(rawValue: 2)
    public static let synReceived = SocketState(rawValue: 3)
    public static let finWait1 = SocketState(rawValue: 4)
    public static let finWait2 = SocketState(rawValue: 5)
    public static let timeWait = SocketState(rawValue: 6)
    public static let close = SocketState(rawValue: 7)
    public static let closeWait = SocketState(rawValue: 8)
    public static let lastAck = SocketState(rawValue: 9)
    public static let listen = SocketState(rawValue: 10)
    public static let closing = SocketState(rawValue: 11)
    public static let newSynReceived = SocketState(rawValue: 12)

    public static func name(_ state: SocketState) -> String {
        switch state {
        case .established: return "ESTAB"
        case .synSent: return "SYN-SENT"
        case .synReceived: return "SYN-RECV"
        case .finWait1: return "FIN-WAIT-1"
        case .finWait2: return "FIN-WAIT-2"
        case .timeWait: return "TIME-WAIT"
        case .close: return "CLOSE"
        case .closeWait: return "CLOSE-WAIT"
        case .lastAck: return "LAST-ACK"
        case .listen: return "LISTEN"
        case .closing: return "CLOSING"
        case .newSynReceived: return "NEW-SYN-RECV"
        default: return "STATE-\(state.rawValue)"
        }
    }
}

/// Lower-case hex with a fixed number of digits (tokens are 8), without Foundation.
public func hex(_ value: UInt32, digits: Int = 8) -> String {
    let s = String(value, radix: 16)
    return s.count >= digits ? s : String(repeating: "0", count: digits - s.count) + s
}

/// A token as text people read: 8 hex digits, or "-" when the connection showed none
/// (no mptcp_info), never a made-up 00000000.
public func tokenText(_ token: UInt32?) -> String { token.map { hex($0) } ?? "-" }
