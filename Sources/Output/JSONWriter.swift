import MPTCPKit

/// A minimal streaming JSON writer: keys come out in the order written, so the contract in
/// the README reads the same as the output, and no Foundation encoder sits on the hot path.
///
/// It writes UTF-8 bytes into one buffer (at 10,000 connections a report is about 17 MB, and
/// appending it to a String scalar by scalar cost most of `mptop --json`); a command that
/// writes report after report hands the same buffer back each time (`init(appendingTo:)`).
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    /// Whether the next value in the innermost object or array follows another; the outer
    /// levels' flags wait in `enclosing` (a field asks only the Bool, not an array).
    private var needsComma = false
    private var enclosing: [Bool] = []

    public init() { bytes.reserveCapacity(4096) }

    /// A writer that appends to `buffer`'s bytes, taking its storage (and capacity) over;
    /// `buffer` is left empty until `finish(into:)` gives it back.
    public init(appendingTo buffer: inout [UInt8]) { swap(&bytes, &buffer) }

    /// Hands the bytes written back to `buffer` without copying them.
    public mutating func finish(into buffer: inout [UInt8]) {
        swap(&bytes, &buffer)
        bytes = []
    }

    /// Hands what was written so far to `write` and forgets it, keeping the storage, once it
    /// is at least `threshold` bytes: a long report goes out in large pieces instead of being
    /// held whole (17 MB at 10,000 connections).
    public mutating func flush(ifAtLeast threshold: Int, _ write: ([UInt8]) throws -> Void) rethrows {
        guard bytes.count >= threshold else { return }
        try write(bytes)
        bytes.removeAll(keepingCapacity: true)
    }

    /// What was written, as text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    public mutating func beginObject(_ key: JSONKey? = nil) { open(key, 0x7b) }  // {
    public mutating func endObject() { close(0x7d) }                           // }
    public mutating func beginArray(_ key: JSONKey? = nil) { open(key, 0x5b) }   // [
    public mutating func endArray() { close(0x5d) }                            // ]

    public mutating func field(_ key: JSONKey?, _ value: String?) {
        separator(key)
        if let value { Self.quote(value, into: &bytes) } else { bytes.append(utf8: "null") }
    }

    public mutating func field(_ key: JSONKey?, _ value: Bool?) {
        guard let value else { null(key); return }
        if let key, key.name == nil {
            put(key.literal, valueBytes: 5) { out, i in
                if value {
                    out[i] = 0x74; out[i + 1] = 0x72; out[i + 2] = 0x75; out[i + 3] = 0x65  // true
                    return i + 4
                }
                out[i] = 0x66; out[i + 1] = 0x61; out[i + 2] = 0x6c; out[i + 3] = 0x73; out[i + 4] = 0x65  // false
                return i + 5
            }
            return
        }
        separator(key)
        bytes.append(utf8: value ? "true" : "false")
    }

    public mutating func field<I: BinaryInteger>(_ key: JSONKey?, _ value: I?) {
        guard let value else { null(key); return }
        if value >= 0, let key, key.name == nil {
            // Most fields of a report: the comma, the key and the digits in one copy.
            let v = UInt64(value)
            put(key.literal, valueBytes: 20) { out, i in [UInt8].writeDecimal(v, into: out, at: i) }
            return
        }
        separator(key)
        bytes.append(decimal: value)
    }

    /// A number rounded to `decimals` places; NaN and infinities become null.
    public mutating func field(_ key: JSONKey?, _ value: Double?, decimals: Int = 3) {
        separator(key)
        guard let v = value, v.isFinite else { bytes.append(utf8: "null"); return }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let r = (v * scale).rounded() / scale
        if r == r.rounded(), abs(r) < 1e15 {
            bytes.append(decimal: Int64(r))
        } else if !Self.appendFixed(r, decimals: decimals, scale: scale, into: &bytes) {
            bytes.append(utf8: String(r))
        }
    }

    /// Writes `r`, a value already rounded to `decimals` places, as `String(r)` would, but
    /// without the String: the integer part, a point, and the places without trailing zeros.
    /// That is Swift's shortest round-trip form as long as neighbouring doubles are closer
    /// than 10^-decimals (below 1e11 for 4 places) and no exponent is used (at least 1e-4);
    /// returns false, writing nothing, outside that range.
    static func appendFixed(_ r: Double, decimals: Int, scale: Double, into out: inout [UInt8]) -> Bool {
        let a = abs(r)
        guard decimals <= 4, a < 1e11, a >= 1e-4 else { return false }
        let n = UInt64((a * scale).rounded())
        var unit: UInt64 = 1
        for _ in 0..<decimals { unit *= 10 }
        var frac = n % unit
        var places = decimals
        while places > 0 && frac % 10 == 0 { frac /= 10; places -= 1 }
        if r < 0 { out.append(0x2d) }
        out.append(decimal: n / unit)
        out.append(0x2e)
        // The places with their leading zeros (0.05 is "0.05"), then what is left of them.
        var width = 1
        var f = frac
        while f >= 10 { f /= 10; width += 1 }
        for _ in 0..<(places - width) { out.append(0x30) }
        out.append(decimal: frac)
        return true
    }

    /// A number as a string of lower-case hex digits, 8 at least (tokens), as `hex` writes it.
    public mutating func field(_ key: JSONKey?, hex value: UInt32?) {
        separator(key)
        guard let value else { bytes.append(utf8: "null"); return }
        bytes.append(0x22)
        bytes.append(hex: value)
        bytes.append(0x22)
    }

    /// An address as a string, `ADDR:PORT` (`[ADDR]:PORT` for IPv6), as its description reads;
    /// it holds nothing to escape.
    public mutating func field(_ key: JSONKey?, address: SocketAddress) {
        separator(key)
        bytes.append(0x22)
        bytes.append(address: address)
        bytes.append(0x22)
    }

    public mutating func null(_ key: JSONKey?) {
        if let key, key.name == nil {
            put(key.literal, valueBytes: 4) { out, i in
                out[i] = 0x6e; out[i + 1] = 0x75; out[i + 2] = 0x6c; out[i + 3] = 0x6c  // null
                return i + 4
            }
            return
        }
        separator(key)
        bytes.append(utf8: "null")
    }

    private mutating func open(_ key: JSONKey?, _ bracket: UInt8) {
        separator(key)
        bytes.append(bracket)
        enclosing.append(needsComma)
        needsComma = false
    }

    private mutating func close(_ bracket: UInt8) {
        needsComma = enclosing.removeLast()
        bytes.append(bracket)
    }

    private mutating func separator(_ key: JSONKey?) {
        if let key, key.name == nil {
            // One of mptop's own keys: nothing in it to escape, so no scan for it.
            put(key.literal, valueBytes: 0) { _, i in i }
            return
        }
        if needsComma { bytes.append(0x2c) }
        needsComma = true
        guard let name = key?.name else { return }
        Self.quote(name, into: &bytes)
        bytes.append(0x3a)
    }

    /// Appends the comma (if one is due), `"key":` and what `value` writes (at most
    /// `valueBytes` bytes, from the index it is given; it returns the end) with one copy from
    /// a buffer on the stack: byte by byte, every append checked the array's uniqueness and
    /// capacity again, the top of mptop's own code in a profile of the JSON stream (README,
    /// "Performance").
    @inline(__always)
    private mutating func put(_ key: StaticString, valueBytes: Int,
                              _ value: (UnsafeMutableRawBufferPointer, Int) -> Int) {
        var scratch: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        let comma = needsComma
        needsComma = true
        key.withUTF8Buffer { k in
            guard k.count + valueBytes + 4 <= MemoryLayout.size(ofValue: scratch) else {
                // A key too long for the stack buffer (none of mptop's are): piece by piece.
                if comma { bytes.append(0x2c) }
                bytes.append(0x22)
                bytes.append(contentsOf: k)
                bytes.append(0x22)
                bytes.append(0x3a)
                Swift.withUnsafeMutableBytes(of: &scratch) { out in
                    let end = value(out, 0)
                    out.withMemoryRebound(to: UInt8.self) { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[..<end])) }
                }
                return
            }
            Swift.withUnsafeMutableBytes(of: &scratch) { out in
                var i = 0
                if comma { out[0] = 0x2c; i = 1 }
                out[i] = 0x22
                UnsafeMutableRawBufferPointer(rebasing: out[(i + 1)...]).copyMemory(from: UnsafeRawBufferPointer(k))
                i += 1 + k.count
                out[i] = 0x22
                out[i + 1] = 0x3a
                let end = value(out, i + 2)
                out.withMemoryRebound(to: UInt8.self) { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[..<end])) }
            }
        }
    }

    /// `s` as a JSON string literal, quotes included.
    public static func quoted(_ s: String) -> String {
        var out: [UInt8] = []
        quote(s, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `s` as a JSON string literal. Works on the UTF-8 bytes: the characters that are
    /// escaped are all ASCII except the C1 controls U+0080-U+009F, which are 0xC2 0x80-0x9F.
    static func quote(_ s: String, into out: inout [UInt8]) {
        var s = s
        out.append(0x22)
        s.withUTF8 { b in
            // Nearly every string (every key) has nothing to escape: one tight scan, one copy.
            guard b.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5c || $0 == 0x7f || $0 == 0xc2 }) else {
                out.append(contentsOf: b)
                return
            }
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
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[start..<i]))
                out.append(0x5c)
                if escape != 0 {
                    out.append(escape)
                } else {
                    let value = length == 2 ? b[i + 1] : c
                    out.append(contentsOf: [0x75, 0x30, 0x30, UInt8.hexDigit(value >> 4), UInt8.hexDigit(value & 0xf)])  // u00XX
                }
                i += length
                start = i
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[start..<b.count]))
        }
        out.append(0x22)
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
