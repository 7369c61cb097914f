#if canImport(Glibc)
import Glibc
#endif

/// Appending text and numbers to a byte buffer as UTF-8, for the output writers: one growing
/// `[UInt8]` per report instead of a String built by appends, and numbers written as digits
/// without a String for each. Console writes such a buffer with one write(2).
extension Array where Element == UInt8 {
    /// Appends the UTF-8 of `s` (a copy of its bytes: Swift strings are stored as UTF-8).
    @inlinable public mutating func append(utf8 s: String) {
        var s = s
        s.withUTF8 { append(contentsOf: $0) }
    }

    /// Appends `v` in decimal, as `String(v)` writes it.
    @inlinable public mutating func append(decimal v: UInt64) {
        // Up to three digits (octets, counts, most cells) byte by byte: cheaper than the copy.
        if v < 10 { append(UInt8(truncatingIfNeeded: v) &+ 0x30); return }
        if v < 100 {
            append(UInt8(truncatingIfNeeded: v / 10) &+ 0x30)
            append(UInt8(truncatingIfNeeded: v % 10) &+ 0x30)
            return
        }
        if v < 1000 {
            append(UInt8(truncatingIfNeeded: v / 100) &+ 0x30)
            append(UInt8(truncatingIfNeeded: v / 10 % 10) &+ 0x30)
            append(UInt8(truncatingIfNeeded: v % 10) &+ 0x30)
            return
        }
        // Into a buffer on the stack, then one copy (UInt64.max has 20 digits).
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        Swift.withUnsafeMutableBytes(of: &digits) { d in
            let end = Self.writeDecimal(v, into: d, at: 0)
            append(contentsOf: UnsafeRawBufferPointer(rebasing: d[..<end]))
        }
    }

    /// Writes `v` in decimal into `out` from index `i` (room for 20 digits, UInt64.max's, is the
    /// caller's to leave) and returns the index after the last digit: for a writer that builds a
    /// piece on the stack and appends it in one copy (`append(decimal:)`, the JSON writer).
    @inlinable public static func writeDecimal(_ v: UInt64, into out: UnsafeMutableRawBufferPointer, at i: Int) -> Int {
        // The digit count by a few comparisons, then two digits per division from the end, each pair
        // copied from a table: a division per digit, twice over, was a tenth of the JSON
        // writer's instructions (README, "Performance").
        let count: Int
        if v < 100_000 {  // octets, ports, counts, milliseconds
            count = v < 100 ? (v < 10 ? 1 : 2) : v < 1000 ? 3 : v < 10_000 ? 4 : 5
        } else if v < 10_000_000_000 {  // inodes, cookies, byte counters
            count = v < 10_000_000 ? (v < 1_000_000 ? 6 : 7) : v < 100_000_000 ? 8 : v < 1_000_000_000 ? 9 : 10
        } else {
            var c = 11
            var bound: UInt64 = 100_000_000_000
            while c < 20 && v >= bound { c += 1; bound &*= 10 }
            count = c
        }
        let pairs: StaticString = "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"
        let table = UnsafeRawPointer(pairs.utf8Start)
        var n = v
        var j = i + count
        while n >= 100 {
            let q = n / 100
            let pair = Int(truncatingIfNeeded: n &- q &* 100)
            j -= 2
            out.storeBytes(of: table.loadUnaligned(fromByteOffset: 2 * pair, as: UInt16.self), toByteOffset: j, as: UInt16.self)
            n = q
        }
        if n >= 10 {
            out.storeBytes(of: table.loadUnaligned(fromByteOffset: 2 * Int(truncatingIfNeeded: n), as: UInt16.self), toByteOffset: j - 2, as: UInt16.self)
        } else {
            out[j - 1] = UInt8(truncatingIfNeeded: n) &+ 0x30
        }
        return i + count
    }

    /// Appends `v` in decimal with a leading '-' when negative, as `String(v)` writes it.
    /// Inlinable, as the writers' other hot helpers: the writers are another module, and a
    /// generic called across modules would not be specialized for each integer type.
    @inlinable public mutating func append<I: BinaryInteger>(decimal v: I) { appendText { $0.append(decimal: v) } }
}

extension Array where Element == UInt8 {
    /// The room `writeAddress` needs: "[", inet_ntop's 46 bytes (INET6_ADDRSTRLEN, its NUL
    /// included), "]:" and five digits of port; and `writeHost`, the address without ":PORT".
    public static let addressCapacity = 54
    public static let hostCapacity = 48

    /// Writes `v` in lower-case hex with at least `digits` (at most 8) digits into `out` from
    /// index `i`, returning the index after the last: room for 8 is the caller's to leave.
    @inlinable public static func writeHex(_ v: UInt32, digits: Int = 8, into out: UnsafeMutableRawBufferPointer, at i: Int) -> Int {
        // As wide as `digits`, or as the digits `v` needs if more (a token: 8 from the start).
        var width = Swift.min(Swift.max(digits, 1), 8)
        while width < 8 && v >> (4 * UInt32(width)) != 0 { width += 1 }
        for k in 0..<width {
            out[i + k] = UInt8.hexDigit(UInt8(truncatingIfNeeded: v >> (4 * UInt32(width - 1 - k))) & 0xf)
        }
        return i + width
    }

    /// Writes `o` (0...255) in decimal at `i`, returning the index after it: an IPv4 address is
    /// four of these, and `writeDecimal`'s digit count was most of what one cost.
    @inlinable @inline(__always)
    static func writeOctet(_ o: UInt8, into out: UnsafeMutableRawBufferPointer, at i: Int) -> Int {
        if o < 10 { out[i] = o &+ 0x30; return i + 1 }
        if o < 100 {
            out[i] = o / 10 &+ 0x30
            out[i + 1] = o % 10 &+ 0x30
            return i + 2
        }
        out[i] = o / 100 &+ 0x30
        out[i + 1] = o / 10 % 10 &+ 0x30
        out[i + 2] = o % 10 &+ 0x30
        return i + 3
    }

    /// Appends `a` as its `description` writes it (`ADDR:PORT`, IPv6 as `[ADDR]:PORT`).
    public mutating func append(address a: SocketAddress) { appendText { $0.append(address: a) } }

    /// Writes `a` as its `description` writes it into `out` from index `i` (room for
    /// `addressCapacity` bytes is the caller's to leave) and returns the index after it: IPv4 as
    /// four decimal octets (what inet_ntop prints), IPv6 through inet_ntop.
    public static func writeAddress(_ a: SocketAddress, into out: UnsafeMutableRawBufferPointer, at i: Int) -> Int {
        let j = writeHost(a.address, into: out, at: i)
        out[j] = 0x3a
        return writeDecimal(UInt64(a.port), into: out, at: j + 1)
    }

    /// Writes the address part of `writeAddress` (`ADDR`, IPv6 as `[ADDR]`) from index `i`
    /// (room for `hostCapacity` bytes is the caller's to leave), returning the index after it.
    public static func writeHost(_ ip: IPAddress, into out: UnsafeMutableRawBufferPointer, at i: Int) -> Int {
        var j = i
        if ip.family == .ipv4 {
            // The octets in memory order, as `IPAddress.description` hands them to inet_ntop.
            Swift.withUnsafeBytes(of: ip.high) { octets in
                for k in 0..<4 {
                    if k > 0 { out[j] = 0x2e; j += 1 }
                    j = writeOctet(octets[k], into: out, at: j)
                }
            }
        } else {
            out[j] = 0x5b
            j += 1
            let room = UnsafeMutableRawBufferPointer(rebasing: out[j..<(j + 46)])  // checks the room in debug builds
            let raw = (ip.high, ip.low)
            let ok = Swift.withUnsafeBytes(of: raw) { r in
                inet_ntop(AF_INET6, r.baseAddress, room.baseAddress!.assumingMemoryBound(to: CChar.self), 46) != nil
            }
            if ok {
                j += room.firstIndex(of: 0) ?? 0
            } else {
                out[j] = 0x3f  // "?", as description writes
                j += 1
            }
            out[j] = 0x5d
            j += 1
        }
        return j
    }
}

extension UInt8 {
    /// The lower-case hex digit for `v` (0...15), as `String(_, radix: 16)` writes it.
    /// From a table: a token's 8 digits are random, and a branch per digit mispredicted.
    @inlinable public static func hexDigit(_ v: UInt8) -> UInt8 {
        precondition(v < 16, "not a hex digit's value")
        return UnsafeRawPointer(("0123456789abcdef" as StaticString).utf8Start).load(fromByteOffset: Int(v), as: UInt8.self)
    }
}
