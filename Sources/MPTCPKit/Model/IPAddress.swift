#if canImport(Glibc)
import Glibc
#endif

/// An IPv4 or IPv6 address held inline (no heap), as the kernel sends it: network byte order.
public struct IPAddress: Hashable, Sendable, Comparable {
    public enum Family: UInt8, Sendable { case ipv4 = 2, ipv6 = 10 }

    public let family: Family
    /// The 16 address bytes as two words in memory order; IPv4 uses the first 4 bytes.
    public let high: UInt64
    public let low: UInt64

    public init(family: Family, high: UInt64, low: UInt64) {
        self.family = family
        self.high = family == .ipv4 ? high & 0xffff_ffff : high
        self.low = family == .ipv4 ? 0 : low
    }

    /// Reads an address from `view` at `offset` (4 bytes for IPv4, 16 for IPv6).
    public init?(family: Family, view: ByteView, offset: Int) {
        switch family {
        case .ipv4:
            guard let a = view.u32(offset) else { return nil }
            self.init(family: .ipv4, high: UInt64(a), low: 0)
        case .ipv6:
            guard let h = view.u64(offset), let l = view.u64(offset + 8) else { return nil }
            self.init(family: .ipv6, high: h, low: l)
        }
    }

    /// Parses dotted IPv4 or textual IPv6.
    public init?(_ text: String) {
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            self.init(family: .ipv4, high: UInt64(v4.s_addr), low: 0)
        } else if inet_pton(AF_INET6, text, &v6) == 1 {
            let (h, l) = withUnsafeBytes(of: &v6) { ($0.loadUnaligned(as: UInt64.self), $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) }
            self.init(family: .ipv6, high: h, low: l)
        } else {
            return nil
        }
    }

    /// The 16 (or 4) bytes in network order.
    public var bytes: [UInt8] {
        var out = [UInt8]()
        withUnsafeBytes(of: high) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: low) { out.append(contentsOf: $0) }
        return family == .ipv4 ? Array(out.prefix(4)) : out
    }

    /// `::ffff:a.b.c.d` seen by an AF_INET6 socket, as the IPv4 address it really is.
    public var unmapped: IPAddress {
        guard family == .ipv6 else { return self }
        // In memory order the mapped prefix is 10 zero bytes then 0xff 0xff.
        let b = bytes
        guard b[0..<10].allSatisfy({ $0 == 0 }), b[10] == 0xff, b[11] == 0xff else { return self }
        let v4 = UInt64(b[12]) | UInt64(b[13]) << 8 | UInt64(b[14]) << 16 | UInt64(b[15]) << 24
        return IPAddress(family: .ipv4, high: v4, low: 0)
    }

    public var isUnspecified: Bool { high == 0 && low == 0 }

    public static func < (a: IPAddress, b: IPAddress) -> Bool {
        if a.family != b.family { return a.family.rawValue < b.family.rawValue }
        return a.bytes.lexicographicallyPrecedes(b.bytes)
    }
}

extension IPAddress: CustomStringConvertible {
    /// Text as `ip` and `ss` print it (inet_ntop).
    public var description: String {
        var buf = [CChar](repeating: 0, count: 64)
        var h = high, l = low
        let af = family == .ipv4 ? AF_INET : AF_INET6
        let ok = withUnsafeMutableBytes(of: &h) { hp -> Bool in
            if family == .ipv4 {
                return inet_ntop(af, hp.baseAddress, &buf, 64) != nil
            }
            var raw = [UInt8](hp)
            withUnsafeBytes(of: &l) { raw.append(contentsOf: $0) }
            return raw.withUnsafeBytes { inet_ntop(af, $0.baseAddress, &buf, 64) != nil }
        }
        guard ok else { return "?" }
        return String(cChars: buf)
    }

    /// `ADDR:PORT`, IPv6 as `[ADDR]:PORT`.
    public func withPort(_ port: UInt16) -> String {
        family == .ipv6 ? "[\(self)]:\(port)" : "\(self):\(port)"
    }
}
