/// Numbers as a person reads them: 12.3 Mb/s, 4.1 MB, 12.5 ms.
///
/// Each form is written once, as bytes appended to a buffer (the text table writes every cell
/// that way, with no String per cell); the String forms here are those bytes.
public enum Units {
    /// Bits per second with decimal prefixes, like iperf and `tc` ("b/s", "Kb/s", "Mb/s", "Gb/s").
    public static func rate(_ bps: Double?) -> String { text { $0.append(rate: bps) } }

    /// Bytes with binary prefixes ("B", "KiB", "MiB", ...).
    public static func bytes(_ n: UInt64?) -> String { text { $0.append(byteCount: n) } }

    /// Microseconds shown as milliseconds.
    public static func milliseconds(micros: UInt32?) -> String { text { $0.append(milliseconds: micros) } }

    /// How long ago, from milliseconds: "850ms", "4.2s", "75s", "12m".
    public static func age(milliseconds ms: UInt32) -> String { text { $0.append(age: ms) } }

    public static func percent(_ share: Double) -> String { text { $0.append(percent: share) } }

    /// Fixed-point text without Foundation's String(format:).
    public static func fixed(_ v: Double, decimals: Int) -> String { text { $0.append(fixed: v, decimals: decimals) } }

    private static func text(_ write: (inout TextRoom) -> Void) -> String {
        TextRoom.onStack(write) { String(decoding: $0, as: UTF8.self) }
    }

    /// `v.rounded()` (to nearest, halves away from zero), without the call to libm's `round`
    /// that Swift makes for it on baseline x86-64 (no SSE4.1 `roundsd`): every number in a table
    /// is rounded a few times to choose its unit and places, and those calls were 4% of the
    /// table writer's instructions. The same result for every Double: below 2^52 the
    /// fraction `a - t` is exact, so comparing it with 0.5 decides as `round` does; from 2^52 on
    /// (and for infinities and NaN) `v` is its own rounding.
    @inlinable public static func rounded(_ v: Double) -> Double {
        let a = abs(v)
        guard a < 4_503_599_627_370_496 else { return v }  // 2^52
        let t = Double(Int64(a))  // truncated: exact below 2^52
        return Double(signOf: v, magnitudeOf: a - t >= 0.5 ? t + 1 : t)
    }
}

extension TextRoom {
    /// `Units.rate`: "-" for none (or not finite), else bits per second with decimal prefixes.
    ///
    /// Rates and byte counts each have a function of their own, with `append(scaled:)` inlined
    /// in it: given `binary` as an argument, the compiled loop worked out both ways to the next
    /// prefix (a division by 1000 and the multiply by 1/1024, itself a division) and chose one
    /// afterwards, and those divisions were the table writer's largest single cost in time.
    public mutating func append(rate bps: Double?) {
        guard let bps, bps.isFinite else { append(0x2d); return }
        append(scaled: bps, base: 1000, binary: false)
    }

    /// `Units.bytes`: "-" for none, else bytes with binary prefixes.
    public mutating func append(byteCount n: UInt64?) {
        guard let n else { append(0x2d); return }
        guard n < 1 << 49 else { append(scaled: Double(n), base: 1024, binary: true); return }
        // In integers below 2^49 (512 TiB), exactly as the Doubles give it (ByteWriterTests
        // compares them at every prefix's edges): n / 1024^i is exact as a Double there, and so
        // are 10 times it and its roundings, so each comparison and rounding of `append(scaled:)`
        // is one on integers. The prefix: the first i with n / 1024^i shown below 1024, that is
        // below 1023.5.
        var i = 0
        while i < 4 && 2 * n >= 2047 << (10 * i) { i += 1 }
        if i == 0 {
            append(decimal: n)
        } else {
            let shift = UInt64(10 * i), half: UInt64 = 1 << (shift - 1)
            // One place below 10 as shown (the tenths rounded half up, as `Units.rounded` does
            // a positive number), else whole.
            let tenths = (10 * n + half) >> shift
            if tenths < 100 {
                append(units: tenths, places: 1, negative: false)
            } else {
                append(decimal: (n + half) >> shift)
            }
        }
        append(unit: i, binary: true)
    }

    /// `Units.milliseconds(micros:)`: "12.5ms", "150ms" (no places from 100 ms), "-" for none.
    @inlinable public mutating func append(milliseconds micros: UInt32?) {
        guard let m = micros else { append(0x2d); return }
        // In integers, as the Doubles gave it (`Double(m) / 1000` rounded to tenths below 100,
        // whole from there; ByteWriterTests checks every value to 2,000,000 and the ends): the
        // tenths rounded half up, and the millisecond likewise, which is exact from 100 ms on
        // (a quotient at a half, k + 0.5, is a Double exactly; any other is 0.001 from one).
        let tenths = (UInt64(m) + 50) / 100
        if tenths < 1000 {
            append(units: tenths, places: 1, negative: false)
        } else {
            append(units: (UInt64(m) + 500) / 1000, places: 0, negative: false)
        }
        append(0x6d); append(0x73)  // ms
    }

    /// `Units.age(milliseconds:)`: "850ms", "4.2s", "75s", "12m".
    @inlinable public mutating func append(age ms: UInt32) {
        if ms < 1000 {
            append(decimal: UInt64(ms))
            append(0x6d); append(0x73)  // ms
            return
        }
        let seconds = Double(ms) / 1000
        if Self.shownBelow(600, seconds, decimals: 0) {
            append(fixed: seconds, decimals: Self.shownBelow(10, seconds, decimals: 1) ? 1 : 0)
            append(0x73)  // s
        } else {
            append(fixed: seconds / 60, decimals: 0)
            append(0x6d)  // m
        }
    }

    /// `Units.percent`: a share 0...1 as "42%".
    @inlinable public mutating func append(percent share: Double) {
        append(fixed: share * 100, decimals: 0)
        append(0x25)
    }

    /// `Units.fixed`: `v` rounded to `decimals` places, "-" when not finite.
    @inlinable public mutating func append(fixed v: Double, decimals: Int) {
        guard v.isFinite else { append(0x2d); return }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let r = Units.rounded(abs(v) * scale)
        // Below 2^53 (every number a table shows) in integers: `r` is exact, and so is the
        // division by 10^decimals truncated, as the Doubles below give it (the error of the
        // quotient, at most r * 2^-53 / scale, is less than its distance to the next integer).
        if r < 9_007_199_254_740_992 && decimals <= 15 {  // 2^53
            append(units: UInt64(r), places: decimals, negative: v < 0)
            return
        }
        // Int64() traps past 2^63: a value that large (a corrupt counter) is printed as Swift does.
        guard r < 9e18 else { append(utf8: String(Units.rounded(v))); return }
        let whole = Int64(r / scale)
        if v < 0 && r != 0 { append(0x2d) }
        append(decimal: whole)
        guard decimals > 0 else { return }
        append(0x2e)
        // The places with their leading zeros, as many as `decimals` (the division above can
        // round `whole` up for huge values, leaving a negative remainder printed as it is).
        let frac = Int64(r) - whole * Int64(scale)
        var width = frac < 0 ? 2 : 1
        var f = frac.magnitude
        while f >= 10 { f /= 10; width += 1 }
        for _ in 0..<Swift.max(0, decimals - width) { append(0x30) }
        append(decimal: frac)
    }

    /// `value` divided by `base` until below it (up to tera), with one place below 10:
    /// "812b/s", "1.5Kb/s", "12Mb/s"; "B", "KiB", "MiB"... when `binary`.
    ///
    /// The prefix and the places are chosen for the number as it is shown, after rounding: 999.7
    /// is "1.0K", not "1000", and 9.96K is "10K", not "10.0K".
    @inline(__always) mutating func append(scaled value: Double, base: Double, binary: Bool) {
        var v = value, i = 0
        // Near the base the number is shown whole, so rounding it whole tells whether it reaches the base.
        // Binary prefixes by multiplying with 1/1024, which is exact (a power of two) and
        // cheaper than dividing; by 1000 it takes the division to stay exact.
        assert(!binary || base == 1024, "binary prefixes are powers of 1024")
        while i < 4 && !Self.shownBelow(base, v, decimals: 0) {
            if binary { v *= 0.0009765625 } else { v /= base }  // 1/1024
            i += 1
        }
        if i == 0 {
            append(decimal: Int(Units.rounded(v)))
        } else {
            // One place below 10 as shown: the tenths rounded once, for the choice and the digits.
            let tenths = Units.rounded(abs(v) * 10)
            if tenths < 100 {
                append(units: UInt64(tenths), places: 1, negative: v < 0)
            } else {
                // Whole (`append(fixed: v, decimals: 0)`, without its call and checks when it is
                // below 2^53, as every number short of a corrupt one is).
                let whole = Units.rounded(abs(v))
                if whole < 9_007_199_254_740_992 {
                    append(units: UInt64(whole), places: 0, negative: v < 0)
                } else {
                    append(fixed: v, decimals: 0)
                }
            }
        }
        append(unit: i, binary: binary)
    }

    /// The unit after a number divided `prefix` times by its base, in one store: "B", "b/s",
    /// or the prefix ("KMGT") before "iB" or "b/s".
    @inline(__always) mutating func append(unit prefix: Int, binary: Bool) {
        let letter = prefix == 0 ? 0 : UInt32(UnsafeRawPointer(("KMGT" as StaticString).utf8Start).load(fromByteOffset: prefix - 1, as: UInt8.self))
        let unit: UInt32 = binary ? (prefix == 0 ? 0x42 : letter | 0x69 << 8 | 0x42 << 16)  // B, ?iB
                                  : (prefix == 0 ? 0x62 | 0x2f << 8 | 0x73 << 16 : letter | 0x62 << 8 | 0x2f << 16 | 0x73 << 24)  // b/s, ?b/s
        let length = binary ? (prefix == 0 ? 1 : 3) : (prefix == 0 ? 3 : 4)
        // Stored 4 bytes wide (the room is checked for 4), counted as `length`: the bytes past
        // it are not part of the text, and what is written next overwrites them.
        write(atMost: 4) { out in
            out.storeBytes(of: unit.littleEndian, as: UInt32.self)
            return length
        }
    }

    /// `n` units of 10^-`places` (a number's magnitude already rounded to its places, so
    /// `fixed` and the units that know it write it the same way): "12", "1.5", "0.05", with a
    /// "-" before it when `negative` and not zero. At most 15 places.
    @inlinable @inline(__always) mutating func append(units n: UInt64, places: Int, negative: Bool) {
        if negative && n != 0 { append(0x2d) }
        // No division for no places (most calls): one by a number known only at run time is slow.
        guard places > 0 else { append(decimal: n); return }
        var scale: UInt64 = 1
        for _ in 0..<places { scale &*= 10 }
        let whole = n / scale
        append(decimal: whole)
        append(0x2e)
        // The places with their leading zeros, as many as `places`.
        var frac = n - whole * scale
        let digits = claim(places)
        for k in stride(from: places - 1, through: 0, by: -1) {
            digits[k] = UInt8(truncatingIfNeeded: frac % 10) &+ 0x30
            frac /= 10
        }
    }

    /// Whether `v` rounded to `decimals` places is still below `limit`: the width and the unit
    /// of a number follow what is printed, not the value before rounding.
    ///
    /// `limit * scale` is a whole number, so the rounded value is below it exactly when the
    /// value is below it less a half: one comparison, not a rounding (also for NaN and the
    /// infinities: not below).
    @inlinable static func shownBelow(_ limit: Double, _ v: Double, decimals: Int) -> Bool {
        let scale = decimals == 0 ? 1.0 : 10.0
        return abs(v) * scale < limit * scale - 0.5
    }
}

extension Array where Element == UInt8 {
    /// `Units.rate`, appended (`TextRoom.append(rate:)`).
    public mutating func append(rate bps: Double?) { appendText { $0.append(rate: bps) } }

    /// `Units.bytes`, appended.
    public mutating func append(byteCount n: UInt64?) { appendText { $0.append(byteCount: n) } }

    /// `Units.percent`, appended.
    public mutating func append(percent share: Double) { appendText { $0.append(percent: share) } }
}
