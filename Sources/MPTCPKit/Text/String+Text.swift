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

extension Unicode.Scalar {
    /// Whether a terminal would act on this character instead of showing it: the C0 controls
    /// (newline, escape, bell, ...), DEL, and the C1 controls U+0080-U+009F (some terminals
    /// take U+009B as CSI). The dashboard's grid, JSON strings and text output all ask this.
    public var isTerminalControl: Bool {
        value < 0x20 || (0x7f...0x9f).contains(value)
    }
}

extension StringProtocol {
    /// The text with each terminal control character written as `\xHH` (tab and newline
    /// too), for every value mptop prints that it did not write itself: process, interface and
    /// namespace names, kernel and file text, input quoted in errors. So a process named
    /// `\e]0;...\a\e[2J` cannot retitle or clear root's terminal, and a `\n` in a name cannot
    /// start a forged line. The result holds no control character, so escaping it again
    /// changes nothing (a backslash is left as it is).
    public var escapedForTerminal: String {
        guard unicodeScalars.contains(where: \.isTerminalControl) else { return String(self) }
        var out = String.UnicodeScalarView()
        for u in unicodeScalars {
            guard u.isTerminalControl else { out.append(u); continue }
            let hex = String(u.value, radix: 16)
            out.append(contentsOf: ("\\x" + (hex.count < 2 ? "0" : "") + hex).unicodeScalars)
        }
        return String(out)
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
