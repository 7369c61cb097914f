import XCTest
@testable import MPTCPKit
@testable import Output

/// The JSON writer's numbers, written straight into its buffer (`JSONNumber`), against the
/// code they replaced: the same bytes for every value.
final class JSONNumberTests: XCTestCase {
    /// What `JSONWriter.field(_, Double, decimals:)` wrote before `JSONNumber`: rounding
    /// through libm and appending to a `[UInt8]` byte by byte (`appendFixed`), String past it.
    func oldNumber(_ v: Double, decimals: Int) -> String {
        guard v.isFinite else { return "null" }
        var bytes: [UInt8] = []
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let r = (v * scale).rounded() / scale
        if r == r.rounded(), abs(r) < 1e15 {
            bytes.append(decimal: Int64(r))
        } else if !oldAppendFixed(r, decimals: decimals, scale: scale, into: &bytes) {
            bytes.append(utf8: String(r))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    func oldAppendFixed(_ r: Double, decimals: Int, scale: Double, into out: inout [UInt8]) -> Bool {
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
        var width = 1
        var f = frac
        while f >= 10 { f /= 10; width += 1 }
        for _ in 0..<(places - width) { out.append(0x30) }
        out.append(decimal: frac)
        return true
    }

    func newNumber(_ v: Double?, decimals: Int) -> String {
        var w = JSONWriter()
        w.field(nil, v, decimals: decimals)
        return w.text
    }

    /// Values at the edges: zeros of both signs, ties at each number of places, the ends of the
    /// fixed form's range (1e-4, 1e11) and of the integer form's (1e15), past 2^52 and 2^53
    /// where every double is an integer, the largest and smallest doubles, NaN and infinities.
    var edges: [Double] {
        var values: [Double] = [0, -0.0, 0.5, -0.5, 1.5, 2.5, -2.5, 0.49999999999999994, -0.49999999999999994,
                                0.05, 0.0005, 0.00005, 0.00015, 0.0001, 0.00009999, 1.25, -1.25, 12.5, 12.345, 12.3455,
                                99.9999, 99.99995, 0.1 + 0.2, 1e-4, 1e-5, 5e-5, -5e-5, 1e11, 1e11 - 0.0001, 1e11 + 0.5,
                                123_456_789.0123, 99_999_999_999.9999, 1e15, 1e15 - 0.5, 1e15 + 0.5, -1e15,
                                4_503_599_627_370_495.5, 4_503_599_627_370_496, 9_007_199_254_740_992, 2.5e20, -7e-5,
                                9.223372036854775e18, 1.8446744073709552e19, 1e300, -1e300,
                                .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNormalMagnitude,
                                .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .nan, .infinity, -.infinity]
        for k in 0...6 {
            let unit = pow(10, -Double(k))
            for m in [1.0, 5, 15, 25, 125, 995, 12_345] { values += [m * unit / 2, -m * unit / 2, (m * unit / 2).nextUp, (m * unit / 2).nextDown] }
        }
        return values
    }

    func testDoublesAreWrittenAsBefore() {
        var g = SystemRandomNumberGenerator()
        var values = edges
        for _ in 0..<30_000 {
            let magnitude = Double.random(in: -8...20, using: &g)
            values.append((Bool.random(using: &g) ? 1 : -1) * Double.random(in: 1...10, using: &g) * pow(10, magnitude))
        }
        // What mptop writes: RTTs in ms from microseconds, rates, shares.
        for us in 0..<5_000 { values.append(Double(us * 37) / 1000) }
        for k in 0..<2_000 { values += [Double(k) / 2_000, Double(k % 1000) * 1234.5, Double(k) * 0.1] }
        for v in values {
            for d in 0...6 {
                XCTAssertEqual(newNumber(v, decimals: d), oldNumber(v, decimals: d), "\(v) to \(d) places")
            }
        }
        XCTAssertEqual(newNumber(nil, decimals: 3), "null")
    }

    func testRoundingIsLibmsRound() {
        var g = SystemRandomNumberGenerator()
        var values = edges
        for _ in 0..<50_000 { values.append(Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &g))) }
        for k in -2_000...2_000 { values += [Double(k) / 2, Double(k) / 2 + 0.25, (Double(k) / 2).nextUp, (Double(k) / 2).nextDown] }
        for v in values {
            let new = JSONNumber.roundedHalfAway(v), old = v.rounded()
            XCTAssert(new.bitPattern == old.bitPattern || (new.isNaN && old.isNaN), "\(v): \(new) against \(old)")
        }
    }

    /// A writer of many fields crosses its cursor's blocks; what it wrote reads as one piece,
    /// and a string longer than a block goes out whole.
    func testFieldsAcrossBlocksAreWrittenWhole() {
        var w = JSONWriter()
        var expected = "["
        let long = String(repeating: "x", count: ByteCursor.blockSize + 10)
        for k in 0..<5_000 {
            w.beginObject()
            w.field("n", k)
            w.field("t", Double(k) / 8, decimals: 3)
            w.field(JSONKey("name\"\(k)"), k % 7 == 0 ? long : "v")
            w.endObject()
            let name = "name\\\"\(k)"
            expected += (k > 0 ? "," : "") + #"{"n":\#(k),"t":\#(oldNumber(Double(k) / 8, decimals: 3)),"\#(name)":"\#(k % 7 == 0 ? long : "v")"}"#
        }
        XCTAssertEqual(w.text, String(expected.dropFirst()))
    }

    /// The cursor's short copy at every length up to past its 32 bytes, and decimals of every
    /// digit count, against `String`.
    func testShortCopiesAndDecimalsOfEveryLength() {
        let source = (0..<40).map { UInt8(0x41 + $0) }
        for n in 0...40 {
            var target = [UInt8](repeating: 0, count: 48)
            source.withUnsafeBytes { s in
                target.withUnsafeMutableBytes { ShortCopy.copy(UnsafeRawBufferPointer(rebasing: s[..<n]), to: $0) }
            }
            XCTAssertEqual(target, Array(source[..<n]) + [UInt8](repeating: 0, count: 48 - n), "\(n) bytes")
        }
        var g = SystemRandomNumberGenerator()
        var values: [UInt64] = [0, 9, 10, 99, 100, 101, 999, 1000, .max, .max - 1]
        var p: UInt64 = 1
        for _ in 0..<19 { p *= 10; values += [p - 1, p, p + 1] }
        for _ in 0..<20_000 { values.append(UInt64.random(in: 0...UInt64.max, using: &g) >> UInt64.random(in: 0...63, using: &g)) }
        for v in values {
            var b: [UInt8] = []
            b.append(decimal: v)
            XCTAssertEqual(String(decoding: b, as: UTF8.self), String(v))
        }
    }

    /// A string after one of mptop's keys (written with its key in one piece when nothing in it
    /// needs escaping) reads as the key and `quoted`: every byte value, C1 controls, long strings.
    func testStringFieldsAreTheKeyAndTheQuotedString() {
        var cases = ["", "wifi0", "a\"b\\c", "\u{c2}", "\u{a0}\u{c2}\u{9f}", "🙂x", String(repeating: "y", count: 64),
                     String(repeating: "z", count: 65), String(repeating: "w", count: ByteCursor.blockSize + 1)]
        for v in 0..<0x100 { cases.append("x\(Unicode.Scalar(UInt8(v)))y") }
        for v in 0x7f...0xa1 { cases.append("\(Unicode.Scalar(UInt32(v))!)") }
        for s in cases {
            var w = JSONWriter()
            w.field("k", s)
            XCTAssertEqual(w.text, #""k":"# + JSONWriter.quoted(s), s.debugDescription)
        }
    }
}
