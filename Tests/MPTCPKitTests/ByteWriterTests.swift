import XCTest
@testable import MPTCPKit
@testable import Output

/// The byte writers against the String code they replaced: the same text for every value.
final class ByteWriterTests: XCTestCase {
    /// What `JSONWriter.field(_, Double, decimals:)` wrote when it built a String.
    func stringNumber(_ v: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let r = (v * scale).rounded() / scale
        return r == r.rounded() && abs(r) < 1e15 ? String(Int64(r)) : String(r)
    }

    func jsonNumber(_ v: Double, decimals: Int) -> String {
        var w = JSONWriter()
        w.field(nil, v, decimals: decimals)
        return w.text
    }

    func testNumbersAreWrittenAsStringWroteThem() {
        var g = SystemRandomNumberGenerator()
        var values: [Double] = [0, -0.0, 0.5, 0.05, 0.0001, 0.00005, 0.00015, 1.25, -1.25, 12.5, 99.9999, 0.1 + 0.2,
                                123_456_789.0123, 99_999_999_999.9999, 1e11, 1e11 + 0.5, 1e15 - 0.5, 1e15 + 0.5, 2.5e20, -7e-5]
        for _ in 0..<20_000 {
            let magnitude = Double.random(in: -6...13, using: &g)
            values.append((Bool.random(using: &g) ? 1 : -1) * Double.random(in: 1...10, using: &g) * pow(10, magnitude))
        }
        for v in values {
            for d in 0...6 {
                XCTAssertEqual(jsonNumber(v, decimals: d), stringNumber(v, decimals: d), "\(v) to \(d) places")
            }
        }
    }

    /// `Units.rounded` (no call to libm) against `Double.rounded()`, bit for bit: halves, the
    /// Doubles either side of them, both zeros, near and past 2^52 and 2^63, infinities, NaN,
    /// subnormals, and random values of every magnitude.
    func testRoundingWithoutLibmIsDoubleRounded() {
        var values: [Double] = [0, -0.0, 0.5, -0.5, 1.5, 2.5, -2.5, 0.49999999999999994, 0.5000000000000001,
                                4_503_599_627_370_495.5, 4_503_599_627_370_496, 9_007_199_254_740_993, 9.3e18, 1e300,
                                .infinity, -.infinity, .nan, .leastNonzeroMagnitude, -.leastNormalMagnitude, .greatestFiniteMagnitude]
        for k in 0..<2000 {
            let half = Double(k) + 0.5
            values += [half, half.nextUp, half.nextDown, -half, -half.nextUp, -half.nextDown]
        }
        var g = SystemRandomNumberGenerator()
        for _ in 0..<50_000 {
            let v = Double.random(in: 1...10, using: &g) * pow(10, Double.random(in: -8...20, using: &g))
            values += [v, -v]
        }
        for v in values {
            XCTAssertEqual(Units.rounded(v).bitPattern, v.rounded().bitPattern, "\(v)")
        }
        XCTAssertTrue(Units.rounded(.nan).isNaN)
    }

    /// `Units.fixed` as it was written in Doubles (session 13), the reference for the integer forms.
    static func fixedInDoubles(_ v: Double, _ decimals: Int) -> String {
        guard v.isFinite else { return "-" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let r = (abs(v) * scale).rounded()
        guard r < 9e18 else { return String(v.rounded()) }
        let whole = Int64(r / scale)
        var out = (v < 0 && r != 0 ? "-" : "") + String(whole)
        guard decimals > 0 else { return out }
        let frac = Int64(r) - whole * Int64(scale)
        let digits = String(frac)
        out += "." + String(repeating: "0", count: max(0, decimals - digits.count)) + digits
        return out
    }

    /// Rates and byte counts as they were written in Doubles (session 13): divided by the base
    /// while they would be shown at it or above, one place below 10.
    static func scaledInDoubles(_ value: Double, base: Double, binary: Bool) -> String {
        func shownBelow(_ limit: Double, _ v: Double, _ decimals: Int) -> Bool {
            let scale = decimals == 0 ? 1.0 : 10.0
            return (abs(v) * scale).rounded() < limit * scale
        }
        var v = value, i = 0
        while i < 4 && !shownBelow(base, v, 0) {
            v /= base
            i += 1
        }
        let number = i == 0 ? String(Int(v.rounded()))
            : fixedInDoubles(v, shownBelow(10, v, 1) ? 1 : 0) + ["K", "M", "G", "T"][i - 1] + (binary ? "i" : "")
        return number + (binary ? "B" : "b/s")
    }

    /// Rates and byte counts (prefixes chosen with one comparison, units stored at once, whole
    /// numbers without `fixed`, byte counts below 2^49 in integers) read as the Doubles wrote
    /// them: every prefix's edges and their neighbours, random magnitudes, byte counts up to
    /// 2^64 and either side of 2^49.
    func testRatesAndBytesAreTheDoublesWay() {
        var rates: [Double] = [0, 0.4, 0.5, 999.4, 999.5, 9_949, 9_950, 9_999.5, 999_499, 999_500, 1e12 * 999.5, 5e20, -1, -999.5, -12_345]
        var bytes: [UInt64] = [0, 1, 1023, 1024, 10_188, 10_189, 1_048_063, 1_048_064, .max, 1 << 53, 1 << 63, (1 << 49) - 1, 1 << 49, (1 << 49) + 1]
        var g = SystemRandomNumberGenerator()
        for _ in 0..<30_000 {
            let r = Double.random(in: 1...10, using: &g) * pow(10, Double.random(in: -3...19, using: &g))
            rates += [r, r.nextUp, r.nextDown]
            bytes.append(UInt64.random(in: 0...UInt64.max, using: &g) >> UInt64.random(in: 0...63, using: &g))
        }
        for k in 1...4 {
            let edge = pow(1000, Double(k)) * 999.5
            rates += [edge, edge.nextUp, edge.nextDown, pow(1000, Double(k)) * 9.95]
            let b = pow(1024, Double(k))
            bytes += [UInt64(b * 1023.5) - 1, UInt64(b * 1023.5), UInt64(b * 1023.5) + 1,
                      UInt64(b * 9.95) - 1, UInt64(b * 9.95), UInt64(b * 9.95) + 1, UInt64(b * 0.05), UInt64(b * 0.05) - 1]
        }
        for r in rates { XCTAssertEqual(Units.rate(r), Self.scaledInDoubles(r, base: 1000, binary: false), "\(r) b/s") }
        for b in bytes { XCTAssertEqual(Units.bytes(b), Self.scaledInDoubles(Double(b), base: 1024, binary: true), "\(b) B") }
    }

    /// `Units.fixed` written in integers (below 2^53) reads as it did in Doubles: the reference
    /// here is the Double arithmetic, String by String. Halves and their neighbours, every
    /// number of places up to 6, magnitudes from 1e-8 to 1e20 (past 2^53, the Doubles' way), both signs.
    func testFixedInIntegersIsFixedInDoubles() {
        let reference = Self.fixedInDoubles
        var values: [Double] = [0, -0.0, 0.05, 0.95, 9.95, 99.95, 999.5, 0.0005, 123.456, 4_503_599_627_370_495.5,
                                9_007_199_254_740_991, 9_007_199_254_740_992, 9_007_199_254_740_993, 1e17, 9.3e18, .infinity, .nan]
        for k in 0..<500 {
            let half = (Double(k) + 0.5) / 10
            values += [half, half.nextUp, half.nextDown, -half]
        }
        var g = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let v = Double.random(in: 1...10, using: &g) * pow(10, Double.random(in: -8...20, using: &g))
            values += [v, -v]
        }
        for v in values {
            for d in 0...6 { XCTAssertEqual(Units.fixed(v, decimals: d), reference(v, d), "\(v) to \(d) places") }
        }
    }

    /// Whether a number is shown below a limit (its unit and places follow from that) by one
    /// comparison is what rounding it says: at the half below each limit the writers use, its
    /// neighbours, and random values, to 0 and 1 places; NaN and the infinities too.
    func testShownBelowByComparisonIsByRounding() {
        var g = SystemRandomNumberGenerator()
        for limit in [10.0, 100, 600, 1000, 1024] {
            for decimals in 0...1 {
                let scale = decimals == 0 ? 1.0 : 10.0
                let edge = (limit * scale - 0.5) / scale
                var values = [edge, edge.nextUp, edge.nextDown, -edge, limit, 0, .nan, .infinity, -.infinity]
                for _ in 0..<5000 { values.append(Double.random(in: 0...(2 * limit), using: &g)) }
                for v in values {
                    XCTAssertEqual(TextRoom.shownBelow(limit, v, decimals: decimals), (abs(v) * scale).rounded() < limit * scale,
                                   "\(v) below \(limit) to \(decimals) places")
                }
            }
        }
    }

    /// An address column that keeps its last host's text writes every address as its
    /// description, whether the host repeats or changes (IPv4 and IPv6, ports of every width).
    func testAddressColumnWritesEachAddressAsItsDescription() {
        let hosts = ["198.18.0.1", "198.18.1.2", "10.0.0.255", "2001:db8::1", "::ffff:192.0.2.1", "fe80::1:2:3:4"].map { IPAddress($0)! }
        var column = AddressColumn()
        var g = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let a = SocketAddress(hosts.randomElement(using: &g)!, [0, 7, 80, 443, 5201, 65535].randomElement(using: &g)!)
            var bytes: [UInt8] = []
            bytes.appendText { column.append(a, to: &$0) }
            XCTAssertEqual(String(decoding: bytes, as: UTF8.self), a.description)
        }
    }

    /// Milliseconds from microseconds, written in integers, read as the Doubles wrote them: every
    /// value up to 2,000,000 (the tenths up to 100 ms, whole milliseconds after), and the top
    /// of the range.
    func testMillisecondsInIntegersAreTheDoublesWay() {
        func reference(_ m: UInt32) -> String {
            let ms = Double(m) / 1000
            let places = (ms * 10).rounded() < 1000 ? 1 : 0
            return Units.fixed(ms, decimals: places) + "ms"
        }
        var values = Array(UInt32(0)...2_000_000)
        values += (0..<1000).map { UInt32.max - $0 } + (0..<1000).map { 4_000_000_000 + 1000 * $0 + 500 }
        for m in values where Units.milliseconds(micros: m) != reference(m) {
            XCTFail("\(m) µs: \(Units.milliseconds(micros: m)), not \(reference(m))")
            return
        }
    }

    func testIntegersAreWrittenAsStringWroteThem() {
        for v: Int64 in [0, 1, 9, 10, -1, -10, 1234567890, .max, .min] { XCTAssertEqual(bytesOf { $0.append(decimal: v) }, String(v)) }
        for v: UInt64 in [0, 7, 10, 100, .max] { XCTAssertEqual(bytesOf { $0.append(decimal: v) }, String(v)) }
        for v: UInt8 in [0, 9, 255] { XCTAssertEqual(bytesOf { $0.append(decimal: v) }, String(v)) }
    }

    /// A field written in one copy (comma, key and value from the stack) reads as the same
    /// field written piece by piece: the first and later fields, every digit count, nulls, both
    /// bools, negatives and a key too long for the stack buffer.
    func testFieldsInOneCopyAreWrittenAsPieceByPiece() {
        var w = JSONWriter()
        w.beginObject()
        w.field("a", 0)
        w.field("b", UInt64.max)
        w.field("c", Int64.min)
        w.field("d", 1_000_000 as Int)
        w.field("e", nil as Int?)
        w.null("f")
        w.field("g", true)
        w.field("h", false)
        w.field("i", nil as Bool?)
        w.field("a_key_far_too_long_for_the_stack_buffer_of_the_writer_so_piece_by_piece", UInt64.max)
        w.field("a_key_far_too_long_for_the_stack_buffer_of_the_writer_so_piece_by_piece", true)
        w.beginArray("j")
        w.field(nil, 12)
        w.field(nil, 7)
        w.endArray()
        w.beginObject("k")
        w.field("x", 99)
        w.endObject()
        w.endObject()
        let long = "a_key_far_too_long_for_the_stack_buffer_of_the_writer_so_piece_by_piece"
        XCTAssertEqual(w.text, #"{"a":0,"b":18446744073709551615,"c":-9223372036854775808,"d":1000000,"e":null,"f":null,"#
                       + #""g":true,"h":false,"i":null,""# + long + #"":18446744073709551615,""# + long + #"":true,"#
                       + #""j":[12,7],"k":{"x":99}}"#)
        for v: UInt64 in [0, 9, 10, 99, 100, 999, 1000, 12345, 1 << 32, .max] {
            var one = JSONWriter()
            one.field("n", v)
            XCTAssertEqual(one.text, #""n":"# + String(v))
        }
    }

    func testAddressesAreWrittenAsTheirDescription() {
        let addresses = ["0.0.0.0", "1.2.3.4", "198.18.1.2", "255.255.255.255", "10.0.0.100", "::", "::1", "fe80::1",
                         "2001:db8::8:800:200c:417a", "::ffff:192.0.2.1", "2001:db8:0:0:1:0:0:1", "ff02::1:ff00:1"]
        for text in addresses {
            for port: UInt16 in [0, 80, 65535] {
                let a = SocketAddress(IPAddress(text)!, port)
                XCTAssertEqual(bytesOf { $0.append(address: a) }, a.description)
            }
        }
    }

    /// JSON written in pieces is the same text as JSON written whole.
    func testJSONInPiecesIsTheWholeReport() {
        var s = Synthetic.snapshot(at: 1, subflows: [Synthetic.subflow("198.18.1.1", 40000, cookie: 1, interface: 1, acked: 10),
                                                     Synthetic.subflow("198.18.2.1", 40001, cookie: 2, interface: 2, acked: 20, join: true)])
        s.connections += Array(repeating: s.connections[0], count: 9)
        var pieces: [[UInt8]] = []
        var rest: [UInt8] = []
        SnapshotJSON.render(s, into: &rest, flushingEvery: 500) { pieces.append($0) }
        XCTAssertGreaterThan(pieces.count, 5, "a connection's JSON is over 500 bytes, so each one is flushed")
        XCTAssertEqual(String(decoding: pieces.joined() + rest, as: UTF8.self), SnapshotJSON.render(s))
    }

    func bytesOf(_ body: (inout [UInt8]) -> Void) -> String {
        var b: [UInt8] = []
        body(&b)
        return String(decoding: b, as: UTF8.self)
    }

    /// What `JSONWriter.quote` wrote when it appended unicode scalars to a String.
    func stringQuoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.isTerminalControl: out += "\\u00" + (u.value < 16 ? "0" : "") + String(u.value, radix: 16)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    func testStringsAreQuotedAsBefore() {
        var cases = ["", "plain", "a\"b\\c", "\n\r\t", "é", "\u{c2}", "\u{a0}\u{c2}\u{9f}", "🙂x", "tail\u{7f}", "\u{1b}]0;x\u{07}"]
        for v in 0..<0x100 { cases.append("x\(Unicode.Scalar(UInt8(v)))y") }
        for v in 0x7f...0xa1 { cases.append("\(Unicode.Scalar(UInt32(v))!)") }
        for s in cases { XCTAssertEqual(JSONWriter.quoted(s), stringQuoted(s), s.debugDescription) }
    }

    /// A table with non-ASCII and control characters in its cells aligns by characters, as before.
    func testTableWidthsCountCharactersAndEscapedCells() {
        var t = TextTable([("NAME", .left), ("N", .right)])
        t.add(["wlän0", "1"])
        t.add(["a\u{1b}b", "22"])
        t.add(["plain", "333"])
        XCTAssertEqual(t.render(), ["NAME      N", "wlän0     1", "a\\x1bb   22", "plain   333"])
    }

    /// A table reused for row after row of other widths (its header line kept while the widths
    /// hold, laid out again when they change, or the indent does) renders as a new table would.
    func testReusedTableRendersAsANewOne() {
        let spec: [(String, TextTable.Alignment)] = [("NAME", .left), ("N", .right), ("RATE", .right), ("LAST", .left)]
        let batches: [[[String]]] = [
            [["a", "1", "10Kb/s", "x"]], [["b", "2", "12Kb/s", "y"]], [["wide name", "3", "1.2Mb/s", ""]],
            [["c", "4", "0b/s", "z"]], [["c", "4", "0b/s", "z"], ["wlän0", "55", "-", "q"]], [], [["d", "6", "10Kb/s", "x"]],
        ]
        var reused = TextTable(spec)
        for (k, rows) in batches.enumerated() {
            let indent = k == 5 ? 2 : 4
            reused.removeAllRows()
            reused.indent = indent
            var fresh = TextTable(spec)
            fresh.indent = indent
            for row in rows {
                reused.add(row)
                fresh.add(row)
            }
            XCTAssertEqual(reused.render(), fresh.render(), "batch \(k)")
        }
    }

    /// Tables of every shape against lines built as Strings the plain way, so that a faster
    /// `render` (one walk, spaces stored 8 bytes at a time past their end) is checked on
    /// more than the shapes mptop prints today: rows shorter than the headers, longer (extra
    /// cells left out), empty; empty cells and cells of 0 to 20 bytes; names that are not ASCII
    /// (more bytes than characters) or hold controls (escaped); an indent; and one table
    /// reused after `removeAllRows`. Each failure prints its cells.
    func testTablesOfEveryShapeAgainstLinesBuiltAsStrings() {
        var random = SystemRandomNumberGenerator()
        let pieces = ["", "a", "wlän0", "x\u{1b}y", "日本", "cell0", "1234567", "12345678", "123456789", "-", "198.18.1.2:40000"]
        for round in 0..<300 {
            let columns = Int.random(in: 1...6, using: &random)
            let spec: [(String, TextTable.Alignment)] = (0..<columns).map { k in
                ("H\(k)" + String(repeating: "x", count: Int.random(in: 0...9, using: &random)), Bool.random(using: &random) ? .left : .right)
            }
            var t = TextTable(spec)
            t.indent = round % 3 == 0 ? 4 : 0
            for _ in 0..<(round % 5 == 0 ? 2 : 1) {
                t.removeAllRows()
                var rows: [[String]] = []
                for _ in 0..<Int.random(in: 0...5, using: &random) {
                    let count = Int.random(in: 0...(columns + 2), using: &random)
                    let row = (0..<count).map { _ -> String in
                        Bool.random(using: &random) ? pieces.randomElement(using: &random)!
                            : String(repeating: "z", count: Int.random(in: 0...20, using: &random))
                    }
                    rows.append(row)
                    t.add(row)
                }
                let cells = [spec.map(\.0)] + rows.map { $0.map(\.escapedForTerminal) }
                var widths = Array(repeating: 0, count: columns)
                for row in cells { for (i, c) in row.prefix(columns).enumerated() { widths[i] = max(widths[i], c.count) } }
                let expected = cells.map { row -> String in
                    var line = String(repeating: " ", count: t.indent)
                    for (i, c) in row.prefix(columns).enumerated() {
                        let last = i == row.count - 1, fill = String(repeating: " ", count: widths[i] - c.count)
                        line += spec[i].1 == .left ? c + (last ? "" : fill) : fill + c
                        if !last { line += "  " }
                    }
                    return line
                }
                XCTAssertEqual(t.render(), expected, "round \(round): \(cells)")
            }
        }
    }
}
