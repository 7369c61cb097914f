import MPTCPKit

/// Walks command-line words: flags as `--name VALUE` or `--name=VALUE`, with clear errors.
struct ArgumentScanner {
    private var words: [String]
    private(set) var index = 0

    init(_ words: [String]) { self.words = words }

    var isAtEnd: Bool { index >= words.count }

    /// The next word, split at `=` when it is `--flag=value` (the value is queued next).
    mutating func next() -> String? {
        guard index < words.count else { return nil }
        let w = words[index]
        index += 1
        if w.hasPrefix("--"), let eq = w.firstIndex(of: "=") {
            words.insert(String(w[w.index(after: eq)...]), at: index)
            return String(w[..<eq])
        }
        return w
    }

    /// The value after `flag`, or a usage error naming the flag.
    mutating func value(for flag: String) throws -> String {
        guard let v = next() else { throw MPTopError.usage("\(flag) needs a value (see 'mptop --help')") }
        return v
    }

    /// The namespace name after `flag` (`--netns`), checked before anything uses or echoes it.
    mutating func namespace(for flag: String) throws -> String {
        try NetworkNamespaceName(validating: value(for: flag)).rawValue
    }

    mutating func seconds(for flag: String) throws -> Double {
        let v = try value(for: flag)
        guard let d = Double(v), d.isFinite, d >= 0, d <= 86_400 else {
            throw MPTopError.usage("\(flag) takes seconds from 0 to 86400, not '\(v)'")
        }
        return d
    }

    mutating func count(for flag: String) throws -> Int {
        let v = try value(for: flag)
        guard let n = Int(v), n > 0 else { throw MPTopError.usage("\(flag) takes a whole number above 0, not '\(v)'") }
        return n
    }

    static func unknown(_ word: String, in command: String = "mptop") -> MPTopError {
        word.hasPrefix("-")
            ? .usage("unknown option '\(word)' (see '\(command) --help')")
            : .usage("unexpected argument '\(word)' (see '\(command) --help')")
    }
}
