/// The primitives of the recording format (docs/recording.md, "Encoding"): LEB128 varints,
/// zigzag for signed deltas, length-prefixed strings, little-endian fixed words.
struct RecordingByteWriter {
    var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func varint(_ value: Int) { varint(UInt64(max(0, value))) }

    /// A signed value, small in either direction when near zero.
    mutating func signed(_ value: Int64) { varint(RecordingByteWriter.zigzag(value)) }

    mutating func text(_ s: String) {
        let utf8 = Array(s.utf8.prefix(RecordingLimits.text))
        varint(utf8.count)
        bytes.append(contentsOf: utf8)
    }

    mutating func blob(_ b: [UInt8]) {
        varint(b.count)
        bytes.append(contentsOf: b)
    }

    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func double(_ v: Double) { u64(v.bitPattern) }
    mutating func bool(_ v: Bool) { bytes.append(v ? 1 : 0) }

    static func zigzag(_ v: Int64) -> UInt64 { UInt64(bitPattern: (v << 1) ^ (v >> 63)) }
    static func unzigzag(_ v: UInt64) -> Int64 { Int64(bitPattern: v >> 1) ^ -Int64(bitPattern: v & 1) }
}

/// Reads what `RecordingByteWriter` wrote, from bytes nobody vouches for: every read is checked
/// against the end and throws `RecordingError.Damage` instead of trapping.
struct RecordingByteReader {
    let bytes: [UInt8]
    private(set) var offset: Int

    init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    var remaining: Int { bytes.count - offset }
    var atEnd: Bool { offset >= bytes.count }

    mutating func byte() throws(RecordingDamage) -> UInt8 {
        guard offset < bytes.count else { throw RecordingDamage("ends in the middle of a value") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func varint() throws(RecordingDamage) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift < 64, shift < 63 || b <= 1 else { throw RecordingDamage("a number longer than 64 bits") }
            value |= UInt64(b & 0x7f) << shift
            if b & 0x80 == 0 { return value }
            shift += 7
        }
    }

    /// A count or length, refused above `limit` and above what the rest of the bytes could
    /// hold (each item takes at least `minimumSize` bytes), so a crafted count cannot make the
    /// reader reserve memory the file does not back.
    mutating func count(limit: Int, minimumSize: Int = 1, _ what: String) throws(RecordingDamage) -> Int {
        let v = try varint()
        guard v <= UInt64(limit), Int(v) * max(0, minimumSize) <= remaining else {
            throw RecordingDamage("\(what) count \(v) is more than the record can hold")
        }
        return Int(v)
    }

    mutating func signed() throws(RecordingDamage) -> Int64 { RecordingByteWriter.unzigzag(try varint()) }

    mutating func take(_ n: Int) throws(RecordingDamage) -> ArraySlice<UInt8> {
        guard n >= 0, n <= remaining else { throw RecordingDamage("ends in the middle of a value") }
        defer { offset += n }
        return bytes[offset..<(offset + n)]
    }

    mutating func text() throws(RecordingDamage) -> String {
        let n = try count(limit: RecordingLimits.text, "text length")
        return String(decoding: try take(n), as: UTF8.self)
    }

    mutating func blob(limit: Int) throws(RecordingDamage) -> [UInt8] {
        Array(try take(try count(limit: limit, "byte string length")))
    }

    mutating func u32() throws(RecordingDamage) -> UInt32 {
        var v: UInt32 = 0
        for (i, b) in try take(4).enumerated() { v |= UInt32(b) << (8 * UInt32(i)) }
        return v
    }

    mutating func u64() throws(RecordingDamage) -> UInt64 {
        var v: UInt64 = 0
        for (i, b) in try take(8).enumerated() { v |= UInt64(b) << (8 * UInt64(i)) }
        return v
    }

    mutating func double() throws(RecordingDamage) -> Double { Double(bitPattern: try u64()) }

    mutating func bool() throws(RecordingDamage) -> Bool {
        switch try byte() {
        case 0: return false
        case 1: return true
        case let b: throw RecordingDamage("\(b) where a yes/no belongs")
        }
    }
}
