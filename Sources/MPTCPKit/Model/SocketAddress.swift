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

/// TCP/MPTCP socket states by the kernel's numbering, named as `ss` names them.
public enum SocketState {
    public static func name(_ state: UInt8) -> String {
        switch state {
        case 1: return "ESTAB"
        case 2: return "SYN-SENT"
        case 3: return "SYN-RECV"
        case 4: return "FIN-WAIT-1"
        case 5: return "FIN-WAIT-2"
        case 6: return "TIME-WAIT"
        case 7: return "CLOSE"
        case 8: return "CLOSE-WAIT"
        case 9: return "LAST-ACK"
        case 10: return "LISTEN"
        case 11: return "CLOSING"
        case 12: return "NEW-SYN-RECV"
        default: return "STATE-\(state)"
        }
    }

    public static let established: UInt8 = 1
    public static let listen: UInt8 = 10
}

/// Lower-case hex with a fixed number of digits (tokens are 8), without Foundation.
public func hex(_ value: UInt32, digits: Int = 8) -> String {
    let s = String(value, radix: 16)
    return s.count >= digits ? s : String(repeating: "0", count: digits - s.count) + s
}
