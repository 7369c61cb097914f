/// Parses an MPTCP connection token as people copy it: hex the way `ss -M` and mptop print it
/// (with or without zero padding), optionally with a `0x` prefix.
public enum TokenText {
    public static func parse(_ text: String) throws -> UInt32 {
        var digits = Substring(text)
        if digits.hasPrefix("0x") || digits.hasPrefix("0X") { digits = digits.dropFirst(2) }
        guard !digits.isEmpty, digits.count <= 8, let value = UInt32(digits, radix: 16) else {
            throw MPTopError.invalidRequest("'\(text)' is not a token: expected up to 8 hex digits, e.g. 5f1c2a3b or 0x5f1c2a3b")
        }
        return value
    }
}
