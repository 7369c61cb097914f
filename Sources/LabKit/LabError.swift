import FoundationEssentials
import SystemPackage

/// An error from the lab or the traffic generator. Its description is always one line, so a
/// test failure or `mptop: ...` message names the problem without a stack of context.
public struct LabError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What kind of failure this is; the CLI maps `.usage` to exit status 2.
    public enum Kind: Sendable, Equatable {
        /// Bad arguments from a person.
        case usage
        /// An external command (`ip`, `tc`, ...) failed.
        case command
        /// A system call or socket operation failed.
        case system
        /// The traffic that arrived was not the traffic that was sent.
        case corrupted
    }

    public let kind: Kind
    public let message: String
    /// The system call's errno, for a `.system` error that has one (a caller reacting to a cause
    /// matches on it, not on the text).
    public let errno: Errno?

    public init(_ kind: Kind, _ message: String, errno: Errno? = nil) {
        self.kind = kind
        self.errno = errno
        // Multi-line tool output is folded so every failure stays one line.
        self.message = LabError.oneLine(message)
    }

    public var description: String { message }

    /// Joins the non-empty lines of `text` with "; ".
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: { $0 == "\n" || $0 == "\r" })
            .map { String($0).trimmingWhitespace() }
            .filter { !$0.isEmpty }
            .joined(separator: "; ")
    }
}
