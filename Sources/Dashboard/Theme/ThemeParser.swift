import MPTCPKit

/// A theme file that cannot be used, with the file and line to fix.
public struct ThemeError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let line: Int?
    public let message: String

    public var description: String {
        if let line { return "theme \(path), line \(line): \(message)" }
        return "theme \(path): \(message)"
    }
}

/// Reads the theme format:
///
///     # comment
///     name = Default dark
///     text = #d0d0d0
///     selected = black on #5fafff bold
///
/// A value is an optional foreground colour, optional `on BACKGROUND`, then attributes (bold, dim,
/// reverse, underline). Colours: `default`, `#rrggbb`, `0`-`255`, or an ANSI name (`red`,
/// `bright-red`, ...).
public enum ThemeParser {
    public static func parse(_ text: String, path: String, fallbackName: String) throws -> Theme {
        var theme = Theme(name: fallbackName, path: path)
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let eq = line.firstIndex(of: "=") else {
                // Not quoted: the file may be anything (see `quoted`).
                throw ThemeError(path: path, line: lineNumber, message: "expected 'key = value'")
            }
            let key = line[..<eq].trimmingWhitespace().lowercased()
            let value = line[line.index(after: eq)...].trimmingWhitespace()
            if key == "name" {
                guard !value.isEmpty else { throw ThemeError(path: path, line: lineNumber, message: "empty name") }
                theme.name = value
                continue
            }
            guard let role = ThemeRole(rawValue: key) else {
                theme.unknownKeys.append((lineNumber, key))
                continue
            }
            do {
                theme.styles[role] = try parseStyle(value)
            } catch let message as ThemeValueError {
                throw ThemeError(path: path, line: lineNumber, message: "\(key): \(message.text)")
            }
        }
        return theme
    }

    struct ThemeValueError: Error { let text: String }

    /// How a message quotes a word of the file: `'purple'` when it is a short word of the theme
    /// vocabulary (letters, digits, `# . - _`), else `fallback`. `--theme` reads any file and
    /// mptop may be run through sudo: an error must not print a line of /etc/shadow.
    public static func quoted(_ word: some StringProtocol, else fallback: String) -> String {
        let vocabulary = !word.isEmpty && word.count <= 24 && word.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "#.-_".unicodeScalars.contains($0)
        }
        return vocabulary ? "'\(word)'" : fallback
    }

    static func parseStyle(_ value: String) throws -> Style {
        var style = Style()
        let words = value.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { $0.lowercased() }
        guard !words.isEmpty else { throw ThemeValueError(text: "no value") }
        var i = 0
        var sawForeground = false
        while i < words.count {
            let w = words[i]
            if let a = attribute(w) {
                style.attributes.insert(a)
            } else if w == "on" {
                guard i + 1 < words.count else { throw ThemeValueError(text: "'on' needs a background colour") }
                style.background = try color(words[i + 1])
                i += 1
            } else if !sawForeground {
                style.foreground = try color(w)
                sawForeground = true
            } else {
                throw ThemeValueError(text: "unexpected \(quoted(w, else: "word")) (expected 'on COLOUR' or bold, dim, reverse, underline)")
            }
            i += 1
        }
        return style
    }

    static func attribute(_ w: String) -> TextAttributes? {
        switch w {
        case "bold": return .bold
        case "dim": return .dim
        case "reverse": return .reverse
        case "underline": return .underline
        default: return nil
        }
    }

    static let ansiNames = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    static func color(_ w: String) throws -> ThemeColor {
        if w == "default" { return .terminalDefault }
        if w.hasPrefix("#") {
            let hex = w.dropFirst()
            guard hex.count == 6, let v = UInt32(hex, radix: 16) else {
                throw ThemeValueError(text: "bad colour \(quoted(w, else: "value")) (expected #rrggbb)")
            }
            return .rgb(UInt8(v >> 16), UInt8((v >> 8) & 0xff), UInt8(v & 0xff))
        }
        if let n = Int(w) {
            guard (0...255).contains(n) else { throw ThemeValueError(text: "colour \(n) is out of range 0-255") }
            return .indexed(UInt8(n))
        }
        let bright = w.hasPrefix("bright-")
        if let i = ansiNames.firstIndex(of: bright ? String(w.dropFirst(7)) : w) {
            return .ansi(UInt8(i + (bright ? 8 : 0)))
        }
        throw ThemeValueError(text: "unknown colour \(quoted(w, else: "name")) (use default, #rrggbb, 0-255, or a name like red, bright-blue)")
    }
}
