#if canImport(Glibc)
import Glibc
#endif

/// A numeric IP address and port: `198.18.0.1:5201` or `[2001:db8::1]:5201`.
public struct TrafficEndpoint: Sendable, Equatable, CustomStringConvertible {
    /// AF_INET or AF_INET6.
    public let family: Int32
    /// The address in its canonical text form (no brackets).
    public let host: String
    public let port: UInt16
    /// The address in network byte order (4 or 16 bytes).
    let addressBytes: [UInt8]

    /// Parses `ADDR:PORT` or `[IPv6]:PORT`; throws a `.usage` error saying what is expected.
    public init(parsing text: String) throws {
        let usage = LabError(.usage, "invalid address '\(text)': expected IPv4:PORT or [IPv6]:PORT")
        let hostPart: Substring, portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw usage }
            hostPart = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw usage }
            portPart = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else { throw usage }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
        }
        guard let port = UInt16(portPart) else {
            throw LabError(.usage, "invalid port in '\(text)': expected a number from 0 to 65535")
        }
        var v4 = in_addr(), v6 = in6_addr()
        if !text.hasPrefix("["), inet_pton(AF_INET, String(hostPart), &v4) == 1 {
            family = AF_INET
            addressBytes = withUnsafeBytes(of: v4) { Array($0) }
        } else if text.hasPrefix("["), inet_pton(AF_INET6, String(hostPart), &v6) == 1 {
            family = AF_INET6
            addressBytes = withUnsafeBytes(of: v6) { Array($0) }
        } else {
            throw usage
        }
        self.port = port
        host = TrafficEndpoint.format(family: family, bytes: addressBytes)
    }

    /// The endpoint in a socket address from the kernel (accept, getsockname), or nil for a
    /// family other than IPv4/IPv6.
    init?(_ storage: sockaddr_storage) {
        var copy = storage
        switch Int32(storage.ss_family) {
        case AF_INET:
            let sin = withUnsafeBytes(of: &copy) { $0.load(as: sockaddr_in.self) }
            family = AF_INET
            port = UInt16(bigEndian: sin.sin_port)
            addressBytes = withUnsafeBytes(of: sin.sin_addr) { Array($0) }
        case AF_INET6:
            let sin6 = withUnsafeBytes(of: &copy) { $0.load(as: sockaddr_in6.self) }
            family = AF_INET6
            port = UInt16(bigEndian: sin6.sin6_port)
            addressBytes = withUnsafeBytes(of: sin6.sin6_addr) { Array($0) }
        default:
            return nil
        }
        host = TrafficEndpoint.format(family: family, bytes: addressBytes)
    }

    /// `198.18.0.1:5201` or `[2001:db8::1]:5201`.
    public var description: String {
        family == AF_INET6 ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Calls `body` with this endpoint as a C socket address.
    func withSockaddr<T>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
        if family == AF_INET6 {
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            sin6.sin6_port = port.bigEndian
            withUnsafeMutableBytes(of: &sin6.sin6_addr) { $0.copyBytes(from: addressBytes) }
            return withUnsafePointer(to: &sin6) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        }
        var sin = sockaddr_in()
        sin.sin_family = sa_family_t(AF_INET)
        sin.sin_port = port.bigEndian
        withUnsafeMutableBytes(of: &sin.sin_addr) { $0.copyBytes(from: addressBytes) }
        return withUnsafePointer(to: &sin) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }

    private static func format(family: Int32, bytes: [UInt8]) -> String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let ok = bytes.withUnsafeBytes { raw in
            inet_ntop(family, raw.baseAddress, &text, socklen_t(text.count)) != nil
        }
        guard ok else { return "?" }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
