#if canImport(Glibc)
import Glibc
#endif

/// Room of a known size for a short piece of text (a number and its unit, an address, a
/// word), written through a pointer. The text table formats each of its cells straight into
/// its own storage this way: an `Array.append` per byte or per piece checks the array's
/// capacity and uniqueness each time, and those appends were an eighth of the table writer's
/// instructions (README, "Performance"). The Array forms (`append(rate:)`...) write into a room
/// on the stack and append it in one copy, so each number's form is written once, here.
///
/// Every write checks that it fits, also in release builds: room too small for what a formatter
/// writes is mptop's bug, and a trap is better than writing past the end.
public struct TextRoom {
    @usableFromInline let start: UnsafeMutablePointer<UInt8>
    @usableFromInline var next: UnsafeMutablePointer<UInt8>
    @usableFromInline let end: UnsafeMutablePointer<UInt8>

    /// Room that any one of the formatters below needs, and a few of them together (a table
    /// cell): an IPv6 address with its port is 54 bytes; a number too large for Int64, printed
    /// as Swift prints a Double, is at most 24, and its unit 4.
    public static let cellSize = 64

    @inlinable public init(_ room: UnsafeMutableBufferPointer<UInt8>) {
        start = room.baseAddress!
        next = start
        end = start + room.count
    }

    /// Bytes written so far.
    @inlinable public var count: Int { next - start }

    /// The next `n` bytes, now counted as written; the caller stores them.
    @inlinable @inline(__always)
    mutating func claim(_ n: Int) -> UnsafeMutablePointer<UInt8> {
        precondition(end - next >= n, "text outgrew its room")
        let p = next
        next += n
        return p
    }

    @inlinable @inline(__always)
    public mutating func append(_ byte: UInt8) { claim(1).pointee = byte }

    /// Appends the UTF-8 of `s` (a word of mptop's own, or a name the caller escapes).
    @inlinable public mutating func append(utf8 s: String) {
        // From the string's own bytes where it has them (see `TextTable.copy`).
        if s.utf8.withContiguousStorageIfAvailable({ append(bytes: UnsafeRawBufferPointer($0)) }) != nil { return }
        var s = s
        s.withUTF8 { append(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Appends a copy of `bytes` (text of mptop's own making, kept from before).
    @inlinable public mutating func append(bytes: UnsafeRawBufferPointer) {
        ShortCopy.copy(bytes, to: UnsafeMutableRawBufferPointer(start: claim(bytes.count), count: bytes.count))
    }

    /// Appends a word of mptop's own ("join", "backup"), with no String made of it.
    @inlinable public mutating func append(ascii s: StaticString) {
        let to = claim(s.utf8CodeUnitCount)
        ShortCopy.copy(UnsafeRawBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount),
                       to: UnsafeMutableRawBufferPointer(start: to, count: s.utf8CodeUnitCount))
    }

    /// Lets `write` fill at most `n` bytes at the cursor (the raw writers `writeDecimal`,
    /// `writeAddress` take a buffer and an index, and return the index after what they wrote).
    @inlinable @inline(__always)
    mutating func write(atMost n: Int, _ write: (UnsafeMutableRawBufferPointer) -> Int) {
        precondition(end - next >= n, "text outgrew its room")
        next += write(UnsafeMutableRawBufferPointer(start: next, count: n))
    }

    /// Appends `v` in decimal, as `String(v)` writes it.
    ///
    /// Always inlined: most numbers in a table are one to three digits, and a call for them
    /// (its prologue, the room read from memory and stored back) cost more than the digits.
    @inlinable @inline(__always) public mutating func append(decimal v: UInt64) {
        // Up to three digits (counts, cwnd, every number before a unit) without the digit
        // count's comparisons and the call.
        if v < 10 { append(UInt8(truncatingIfNeeded: v) &+ 0x30); return }
        if v < 100 {
            let p = claim(2)
            p[0] = UInt8(truncatingIfNeeded: v / 10) &+ 0x30
            p[1] = UInt8(truncatingIfNeeded: v % 10) &+ 0x30
            return
        }
        if v < 1000 {
            let p = claim(3)
            p[0] = UInt8(truncatingIfNeeded: v / 100) &+ 0x30
            p[1] = UInt8(truncatingIfNeeded: v / 10 % 10) &+ 0x30
            p[2] = UInt8(truncatingIfNeeded: v % 10) &+ 0x30
            return
        }
        write(atMost: 20) { [UInt8].writeDecimal(v, into: $0, at: 0) }
    }

    /// Appends `v` in decimal with a leading '-' when negative, as `String(v)` writes it.
    @inlinable public mutating func append<I: BinaryInteger>(decimal v: I) {
        if v < 0 {
            append(0x2d)
            append(decimal: UInt64(v.magnitude))
        } else {
            append(decimal: UInt64(v))
        }
    }

    /// Appends `v` in lower-case hex with at least `digits` digits, as `hex(v, digits:)` writes it.
    @inlinable public mutating func append(hex v: UInt32, digits: Int = 8) {
        for _ in 0..<Swift.max(0, digits - 8) { append(0x30) }
        write(atMost: 8) { [UInt8].writeHex(v, digits: Swift.min(digits, 8), into: $0, at: 0) }
    }

    /// Appends a token as `tokenText` writes it: 8 hex digits, "-" for none.
    @inlinable public mutating func append(token: UInt32?) {
        if let token { append(hex: token) } else { append(0x2d) }
    }

    /// Appends `a` as its `description` writes it (`ADDR:PORT`, IPv6 as `[ADDR]:PORT`).
    @inlinable public mutating func append(address a: SocketAddress) {
        write(atMost: [UInt8].addressCapacity) { [UInt8].writeAddress(a, into: $0, at: 0) }
    }
}

extension TextRoom {
    /// Hands `use` what `write` puts in a room of `cellSize` bytes on the stack.
    @inlinable public static func onStack<R>(_ write: (inout TextRoom) -> Void, _ use: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: cellSize) { room in
            var text = TextRoom(room)
            write(&text)
            return use(UnsafeBufferPointer(start: text.start, count: text.count))
        }
    }
}

extension Array where Element == UInt8 {
    /// Appends what `write` puts in a room of `TextRoom.cellSize` bytes on the stack, in one copy.
    @inlinable public mutating func appendText(_ write: (inout TextRoom) -> Void) {
        TextRoom.onStack(write) { append(contentsOf: $0) }
    }
}
