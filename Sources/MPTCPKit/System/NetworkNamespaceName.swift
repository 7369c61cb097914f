/// The name of a network namespace under /run/netns, as `ip netns` accepts it: a valid file
/// name (not empty, at most NAME_MAX bytes, no '/', not '.' or '..'). mptop also refuses control
/// characters: a name is echoed into errors, the header and undo journals, where a newline
/// would forge a line. Every name that enters mptop (`--netns`, a journal) is checked here.
public struct NetworkNamespaceName: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// NAME_MAX: the longest file name, in bytes.
    public static let maximumLength = 255

    public let rawValue: String

    /// Nil when `rawValue` is not a valid name; `problem(with:)` says why.
    public init?(rawValue: String) {
        guard Self.problem(with: rawValue) == nil else { return nil }
        self.rawValue = rawValue
    }

    /// The name, or a one-line `invalidRequest` error saying what is wrong with it.
    public init(validating name: String) throws {
        if let problem = Self.problem(with: name) {
            throw MPTopError.invalidRequest("invalid namespace name \(Self.quoted(name)): \(problem)")
        }
        rawValue = name
    }

    public var description: String { rawValue }

    /// Why `name` is not a namespace name, or nil when it is one.
    public static func problem(with name: String) -> String? {
        if name.isEmpty { return "it is empty" }
        if name == "." || name == ".." { return "'.' and '..' are not names" }
        if name.contains("/") { return "it contains '/'" }
        if name.utf8.count > maximumLength { return "it is longer than \(maximumLength) bytes" }
        if name.unicodeScalars.contains(where: \.isTerminalControl) { return "it contains a control character" }
        return nil
    }

    /// `name` for a message: escaped, and cut after 40 characters so that a long one stays readable.
    public static func quoted(_ name: String) -> String {
        let cut = name.count > 40 ? name.prefix(40) + "..." : Substring(name)
        return "'\(cut.escapedForTerminal)'"
    }
}
