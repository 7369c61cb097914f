/// How the JSON writer writes a Double rounded to a number of places: rounded to `decimals`
/// places, then as `String` writes that double (its shortest round-trip form), an integral one
/// without a point. Digits are written straight into the writer's buffer: through `String` and
/// byte by byte, a number cost about 460 instructions, a sixth of a report (README, "Performance").
enum JSONNumber {
    /// The most bytes `write` writes: `String(Double)` is at most 24 ("-1.2345678901234567e-308").
    static let capacity = 32

    /// Writes `v` (finite) rounded to `decimals` places into `out` from index `i` (room for
    /// `capacity` bytes is the caller's to leave) and returns the index after it.
    static func write(_ v: Double, decimals: Int, into out: UnsafeMutableRawBufferPointer, at i: Int) -> Int {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let r = roundedHalfAway(v * scale) / scale
        if r == roundedHalfAway(r), abs(r) < 1e15 {
            let n = Int64(r)  // -0.0 is 0, as String(Int64) writes it
            guard n < 0 else { return [UInt8].writeDecimal(UInt64(n), into: out, at: i) }
            out[i] = 0x2d
            return [UInt8].writeDecimal(n.magnitude, into: out, at: i + 1)
        }
        if let end = writeFixed(r, decimals: decimals, scale: scale, into: out, at: i) { return end }
        // Out of the fixed form's range (huge, tiny or many places): String's own form.
        var text = String(r)
        return text.withUTF8 { t in
            UnsafeMutableRawBufferPointer(rebasing: out[i..<(i + t.count)]).copyMemory(from: UnsafeRawBufferPointer(t))
            return i + t.count
        }
    }

    /// Writes `r`, a value already rounded to `decimals` places, as `String(r)` would, but
    /// without the String: the integer part, a point, and the places without trailing zeros.
    /// That is Swift's shortest round-trip form as long as neighbouring doubles are closer
    /// than 10^-decimals (below 1e11 for 4 places) and no exponent is used (at least 1e-4);
    /// returns nil, writing nothing, outside that range.
    static func writeFixed(_ r: Double, decimals: Int, scale: Double, into out: UnsafeMutableRawBufferPointer, at i: Int) -> Int? {
        let a = abs(r)
        guard decimals <= 4, a < 1e11, a >= 1e-4 else { return nil }
        let n = UInt64(roundedHalfAway(a * scale))
        var unit: UInt64 = 1
        for _ in 0..<decimals { unit *= 10 }
        var frac = n % unit
        var places = decimals
        while places > 0 && frac % 10 == 0 { frac /= 10; places -= 1 }
        var j = i
        if r < 0 { out[j] = 0x2d; j += 1 }
        j = [UInt8].writeDecimal(n / unit, into: out, at: j)
        out[j] = 0x2e
        j += 1
        // The places with their leading zeros (0.05 is "0.05"), then what is left of them.
        var width = 1
        var f = frac
        while f >= 10 { f /= 10; width += 1 }
        for _ in 0..<max(0, places - width) { out[j] = 0x30; j += 1 }
        return [UInt8].writeDecimal(frac, into: out, at: j)
    }

    /// `x.rounded()` (to nearest, ties away from zero), without the call into libm that it is
    /// on x86-64 (no SSE4.1 there to round in one instruction): four of them a number.
    @inline(__always)
    static func roundedHalfAway(_ x: Double) -> Double {
        let a = abs(x)
        // From 2^52 on every double is an integer (and infinity stays itself).
        guard a < 4_503_599_627_370_496 else { return x }
        var m = Double(Int64(a))  // exact: the integer part, below 2^52
        if a - m >= 0.5 { m += 1 }  // a - m is exact, so the tie is seen as it is
        return Double(signOf: x, magnitudeOf: m)
    }
}
