/// A minimal streaming JSON writer: keys come out in the order written, so the contract in
/// the README reads the same as the output, and no Foundation encoder sits on the hot path.
public struct JSONWriter {
    public private(set) var text = ""
    private var needsComma = [false]

    public init() { text.reserveCapacity(4096) }

    public mutating func beginObject(_ key: String? = nil) { open(key, "{") }
    public mutating func endObject() { close("}") }
    public mutating func beginArray(_ key: String? = nil) { open(key, "[") }
    public mutating func endArray() { close("]") }

    public mutating func field(_ key: String?, _ value: String?) {
        separator(key)
        if let value { Self.quote(value, into: &text) } else { text += "null" }
    }

    public mutating func field(_ key: String?, _ value: Bool?) {
        separator(key)
        text += value.map { $0 ? "true" : "false" } ?? "null"
    }

    public mutating func field<I: BinaryInteger>(_ key: String?, _ value: I?) {
        separator(key)
        text += value.map { String($0) } ?? "null"
    }

    /// A number rounded to `decimals` places; NaN and infinities become null.
    public mutating func field(_ key: String?, _ value: Double?, decimals: Int = 3) {
        separator(key)
        guard let v = value, v.isFinite else { text += "null"; return }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let r = (v * scale).rounded() / scale
        if r == r.rounded(), abs(r) < 1e15 { text += String(Int64(r)) } else { text += String(r) }
    }

    public mutating func null(_ key: String?) {
        separator(key)
        text += "null"
    }

    private mutating func open(_ key: String?, _ bracket: String) {
        separator(key)
        text += bracket
        needsComma.append(false)
    }

    private mutating func close(_ bracket: String) {
        needsComma.removeLast()
        text += bracket
    }

    private mutating func separator(_ key: String?) {
        if needsComma[needsComma.count - 1] { text += "," }
        needsComma[needsComma.count - 1] = true
        if let key {
            Self.quote(key, into: &text)
            text += ":"
        }
    }

    /// `s` as a JSON string literal, quotes included.
    public static func quoted(_ s: String) -> String {
        var out = ""
        quote(s, into: &out)
        return out
    }

    static func quote(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.isTerminalControl: // C1 too: a JSON stream is often read on a terminal
                out += "\\u00" + (u.value < 16 ? "0" : "") + String(u.value, radix: 16)
            default: out.unicodeScalars.append(u)
            }
        }
        out += "\""
    }
}
