/// Numbers as a person reads them: 12.3 Mb/s, 4.1 MB, 12.5 ms.
public enum Units {
    /// Bits per second with decimal prefixes, like iperf and `tc` ("b/s", "Kb/s", "Mb/s", "Gb/s").
    public static func rate(_ bps: Double?) -> String {
        guard let bps, bps.isFinite else { return "-" }
        return scaled(bps, base: 1000, units: ["b/s", "Kb/s", "Mb/s", "Gb/s", "Tb/s"])
    }

    /// Bytes with binary prefixes ("B", "KiB", "MiB", ...).
    public static func bytes(_ n: UInt64?) -> String {
        guard let n else { return "-" }
        return scaled(Double(n), base: 1024, units: ["B", "KiB", "MiB", "GiB", "TiB"])
    }

    /// Microseconds shown as milliseconds.
    public static func milliseconds(micros: UInt32?) -> String {
        guard let m = micros else { return "-" }
        return fixed(Double(m) / 1000, decimals: Double(m) >= 100_000 ? 0 : 1) + "ms"
    }

    /// How long ago, from milliseconds: "850ms", "4.2s", "75s", "12m".
    public static func age(milliseconds ms: UInt32) -> String {
        if ms < 1000 { return "\(ms)ms" }
        let seconds = Double(ms) / 1000
        if seconds < 10 { return fixed(seconds, decimals: 1) + "s" }
        if seconds < 600 { return fixed(seconds, decimals: 0) + "s" }
        return fixed(seconds / 60, decimals: 0) + "m"
    }

    public static func percent(_ share: Double) -> String {
        fixed(share * 100, decimals: 0) + "%"
    }

    static func scaled(_ value: Double, base: Double, units: [String]) -> String {
        var v = value, i = 0
        while v >= base && i < units.count - 1 { v /= base; i += 1 }
        if i == 0 { return String(Int(v.rounded())) + units[0] }
        return fixed(v, decimals: v < 10 ? 1 : 0) + units[i]
    }

    /// Fixed-point text without Foundation's String(format:).
    public static func fixed(_ v: Double, decimals: Int) -> String {
        guard v.isFinite else { return "-" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let r = (abs(v) * scale).rounded()
        // Int64() traps past 2^63: a value that large (a corrupt counter) is printed as Swift does.
        guard r < 9e18 else { return String(v.rounded()) }
        let whole = Int64(r / scale)
        let sign = v < 0 && r != 0 ? "-" : ""
        guard decimals > 0 else { return sign + String(whole) }
        var frac = String(Int64(r) - whole * Int64(scale))
        while frac.count < decimals { frac = "0" + frac }
        return sign + String(whole) + "." + frac
    }
}
