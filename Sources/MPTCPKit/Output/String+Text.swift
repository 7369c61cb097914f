extension String {
    /// The text followed by spaces up to `width` characters (unchanged when already as wide).
    public func padded(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    /// The text preceded by spaces up to `width` characters, for right-aligned numbers.
    public func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces, tabs and carriage returns.
    public func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
        return String(s)
    }
}

extension StringProtocol {
    /// Whether the text is one or more ASCII digits and nothing else (no sign, no spaces), as
    /// /proc names and the numbers in mptop's own files are.
    public var isDecimalNumber: Bool {
        !isEmpty && unicodeScalars.allSatisfy { $0 >= "0" && $0 <= "9" }
    }

    /// The rest of a `KEY VALUE` line (mptop's journals and markers), nil when it is another key.
    public func value(forKey key: String) -> String? {
        hasPrefix(key + " ") ? String(dropFirst(key.count + 1)) : nil
    }
}
