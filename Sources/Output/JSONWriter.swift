import MPTCPKit

/// A minimal streaming JSON writer: keys come out in the order written, so the contract in
/// the README reads the same as the output, and no Foundation encoder sits on the hot path.
///
/// It writes UTF-8 bytes into one buffer (at 10,000 connections a report is about 17 MB, and
/// appending it to a String scalar by scalar cost most of `mptop --json`); a command that
/// writes report after report hands the same buffer back each time (`init(appendingTo:)`).
public struct JSONWriter: ~Copyable {
    /// Where the bytes go: through a pointer into a block, committed to a `[UInt8]` in large
    /// copies (`ByteCursor`); not copyable, so neither is the writer.
    private var out: ByteCursor
    /// Whether the next value in the innermost object or array follows another; the outer
    /// levels' flags wait in `enclosing` (a field asks only the Bool, not an array).
    private var needsComma = false
    private var enclosing: [Bool] = []

    public init() {
        var buffer: [UInt8] = []
        out = ByteCursor(taking: &buffer)
    }

    /// A writer that appends to `buffer`'s bytes, taking its storage (and capacity) over;
    /// `buffer` is left empty until `finish(into:)` gives it back.
    public init(appendingTo buffer: inout [UInt8]) { out = ByteCursor(taking: &buffer) }

    /// What was written so far (a copy).
    public var bytes: [UInt8] { out.bytes }

    /// Hands the bytes written back to `buffer` without copying them.
    public mutating func finish(into buffer: inout [UInt8]) { out.finish(into: &buffer) }

    /// Hands what was written so far to `write` and forgets it, keeping the storage, once it
    /// is at least `threshold` bytes: a long report goes out in large pieces instead of being
    /// held whole (17 MB at 10,000 connections).
    public mutating func flush(ifAtLeast threshold: Int, _ write: ([UInt8]) throws -> Void) rethrows {
        guard out.count >= threshold else { return }
        try out.flush(write)
    }

    /// What was written, as text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    public mutating func beginObject(_ key: JSONKey? = nil) { open(key, 0x7b) }  // {
    public mutating func endObject() { close(0x7d) }                           // }
    public mutating func beginArray(_ key: JSONKey? = nil) { open(key, 0x5b) }   // [
    public mutating func endArray() { close(0x5d) }                            // ]

    public mutating func field(_ key: JSONKey?, _ value: String?) {
        guard let value else { null(key); return }
        if let key, key.name == nil {
            // A short string with nothing to escape (a state, a name) after one of mptop's keys:
            // comma, key and string in one piece, from the string's own bytes where it has them
            // (a native string; a small one on the stack), without `withUTF8`'s copy of it.
            let done = value.utf8.withContiguousStorageIfAvailable { b -> Bool in
                guard b.count <= 64, !Self.needsEscape(b) else { return false }
                put(key, valueBytes: b.count + 2) { out, i in
                    out[i] = 0x22
                    ShortCopy.copy(UnsafeRawBufferPointer(b), to: UnsafeMutableRawBufferPointer(rebasing: out[(i + 1)...]))
                    out[i + 1 + b.count] = 0x22
                    return i + b.count + 2
                }
                return true
            } ?? false
            if done { return }
        }
        separator(key)
        quote(value)
    }

    public mutating func field(_ key: JSONKey?, _ value: Bool?) {
        guard let value else { null(key); return }
        put(key, valueBytes: 5) { out, i in
            if value {
                out[i] = 0x74; out[i + 1] = 0x72; out[i + 2] = 0x75; out[i + 3] = 0x65  // true
                return i + 4
            }
            out[i] = 0x66; out[i + 1] = 0x61; out[i + 2] = 0x6c; out[i + 3] = 0x73; out[i + 4] = 0x65  // false
            return i + 5
        }
    }

    public mutating func field<I: BinaryInteger>(_ key: JSONKey?, _ value: I?) {
        guard let value else { null(key); return }
        // The sign and up to 20 digits (UInt64.max's, Int64.min's 19).
        put(key, valueBytes: 21) { out, i in
            guard value < 0 else { return [UInt8].writeDecimal(UInt64(value), into: out, at: i) }
            out[i] = 0x2d
            return [UInt8].writeDecimal(UInt64(value.magnitude), into: out, at: i + 1)
        }
    }

    /// A number rounded to `decimals` places; NaN and infinities become null.
    public mutating func field(_ key: JSONKey?, _ value: Double?, decimals: Int = 3) {
        guard let v = value, v.isFinite else { null(key); return }
        put(key, valueBytes: JSONNumber.capacity) { out, i in JSONNumber.write(v, decimals: decimals, into: out, at: i) }
    }

    /// A number as a string of lower-case hex digits, 8 at least (tokens), as `hex` writes it.
    public mutating func field(_ key: JSONKey?, hex value: UInt32?) {
        guard let value else { null(key); return }
        put(key, valueBytes: 10) { out, i in
            out[i] = 0x22
            let end = [UInt8].writeHex(value, into: out, at: i + 1)
            out[end] = 0x22
            return end + 1
        }
    }

    /// An address as a string, `ADDR:PORT` (`[ADDR]:PORT` for IPv6), as its description reads;
    /// it holds nothing to escape.
    public mutating func field(_ key: JSONKey?, address: SocketAddress) {
        put(key, valueBytes: [UInt8].addressCapacity + 2) { out, i in
            out[i] = 0x22
            let end = [UInt8].writeAddress(address, into: out, at: i + 1)
            out[end] = 0x22
            return end + 1
        }
    }

    public mutating func null(_ key: JSONKey?) {
        put(key, valueBytes: 4) { out, i in
            out[i] = 0x6e; out[i + 1] = 0x75; out[i + 2] = 0x6c; out[i + 3] = 0x6c  // null
            return i + 4
        }
    }

    private mutating func open(_ key: JSONKey?, _ bracket: UInt8) {
        put(key, valueBytes: 1) { out, i in out[i] = bracket; return i + 1 }
        enclosing.append(needsComma)
        needsComma = false
    }

    private mutating func close(_ bracket: UInt8) {
        needsComma = enclosing.removeLast()
        out.append(bracket)
    }

    private mutating func separator(_ key: JSONKey?) {
        put(key, valueBytes: 0) { _, i in i }
    }

    /// Writes the comma (if one is due), the key and what `value` writes (at most `valueBytes`
    /// bytes, from the index it is given; it returns the end) through the cursor at once. One of
    /// mptop's own keys is copied as it is; a name from elsewhere is escaped first.
    @inline(__always)
    private mutating func put(_ key: JSONKey?, valueBytes: Int,
                              _ value: (UnsafeMutableRawBufferPointer, Int) -> Int) {
        let comma = needsComma
        needsComma = true
        guard let key, key.name == nil else {
            if comma { out.append(0x2c) }
            if let name = key?.name {
                quote(name)
                out.append(0x3a)
            }
            out.write(atMost: valueBytes) { out in value(out, 0) }
            return
        }
        key.literal.withUTF8Buffer { k in
            out.write(atMost: k.count + valueBytes + 4) { out in
                var i = 0
                if comma { out[0] = 0x2c; i = 1 }
                out[i] = 0x22
                ShortCopy.copy(UnsafeRawBufferPointer(k), to: UnsafeMutableRawBufferPointer(rebasing: out[(i + 1)...]))
                i += 1 + k.count
                out[i] = 0x22
                out[i + 1] = 0x3a
                return value(out, i + 2)
            }
        }
    }

    /// `s` as a JSON string literal, quotes included.
    public static func quoted(_ s: String) -> String {
        var w = JSONWriter()
        w.quote(s)
        return w.text
    }

    /// Writes `s` as a JSON string literal. Works on the UTF-8 bytes: the characters that are
    /// escaped are all ASCII except the C1 controls U+0080-U+009F, which are 0xC2 0x80-0x9F.
    private mutating func quote(_ s: String) {
        var s = s
        s.withUTF8 { b in
            // Nearly every string (every key) has nothing to escape: one tight scan, one copy.
            guard Self.needsEscape(b) else {
                quoteUnescaped(UnsafeRawBufferPointer(b))
                return
            }
            out.append(0x22)
            var start = 0  // the first byte not yet copied
            var i = 0
            while i < b.count {
                let c = b[i]
                let escape: UInt8?  // the letter after the backslash, 0 for \u00XX
                var length = 1
                switch c {
                case 0x22: escape = 0x22
                case 0x5c: escape = 0x5c
                case 0x0a: escape = 0x6e  // n
                case 0x0d: escape = 0x72  // r
                case 0x09: escape = 0x74  // t
                case 0..<0x20, 0x7f: escape = 0
                case 0xc2 where i + 1 < b.count && (0x80...0x9f).contains(b[i + 1]):
                    escape = 0  // C1 too: a JSON stream is often read on a terminal
                    length = 2
                default: escape = nil
                }
                guard let escape else { i += 1; continue }
                out.copy(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: b[start..<i])))
                let value = length == 2 ? b[i + 1] : c
                out.write(atMost: 6) { out in
                    out[0] = 0x5c
                    guard escape == 0 else { out[1] = escape; return 2 }
                    out[1] = 0x75; out[2] = 0x30; out[3] = 0x30  // u00XX
                    out[4] = UInt8.hexDigit(value >> 4); out[5] = UInt8.hexDigit(value & 0xf)
                    return 6
                }
                i += length
                start = i
            }
            out.copy(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: b[start..<b.count])))
            out.append(0x22)
        }
    }

    /// Whether `b` holds a byte that may need escaping (0xC2 starts the C1 controls).
    private static func needsEscape(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        // A bit for each ASCII byte to escape: the controls, '"' (0x22), '\\' (0x5c) and DEL.
        let low: UInt64 = 0xffff_ffff | 1 << 0x22, high: UInt64 = 1 << (0x5c - 64) | 1 << (0x7f - 64)
        return b.contains { c in
            c < 64 ? low >> c & 1 != 0 : c < 128 ? high >> (c - 64) & 1 != 0 : c == 0xc2
        }
    }

    /// `b` between quotes: in one piece when it is short (a name), else the quotes apart.
    private mutating func quoteUnescaped(_ b: UnsafeRawBufferPointer) {
        guard b.count <= ByteCursor.blockSize - 2 else {
            out.append(0x22)
            out.copy(b)
            out.append(0x22)
            return
        }
        out.write(atMost: b.count + 2) { out in
            out[0] = 0x22
            ShortCopy.copy(b, to: UnsafeMutableRawBufferPointer(rebasing: out[1...]))
            out[1 + b.count] = 0x22
            return b.count + 2
        }
    }
}

/// A key of a JSON object: one of mptop's own, written as a literal (plain ASCII, nothing to
/// escape, so the writer copies it without looking at it), or a name from elsewhere (an
/// interface, a sysctl, a counter), escaped like any string: `JSONKey(name)`.
public struct JSONKey: ExpressibleByStringLiteral, Sendable {
    let literal: StaticString
    let name: String?

    public init(stringLiteral value: StaticString) {
        literal = value
        name = nil
        assert(value.withUTF8Buffer { !$0.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5c || $0 >= 0x7f } },
               "a literal JSON key is written unescaped")
    }

    public init(_ name: String) {
        literal = ""
        self.name = name
    }
}
