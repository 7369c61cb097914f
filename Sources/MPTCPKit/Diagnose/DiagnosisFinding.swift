/// One plain-language finding of `mptop diagnose`, most severe first in a `Diagnosis`.
public struct DiagnosisFinding: Sendable, Equatable {
    public enum Severity: Int, Sendable, Comparable, CaseIterable {
        /// Worth knowing, nothing wrong.
        case info = 0
        /// Likely to cost subflows on some connections.
        case warning = 1
        /// Stops extra subflows (or MPTCP) outright.
        case problem = 2

        public var name: String {
            switch self {
            case .info: return "info"
            case .warning: return "warning"
            case .problem: return "problem"
            }
        }

        public static func < (a: Severity, b: Severity) -> Bool { a.rawValue < b.rawValue }
    }

    public let severity: Severity
    /// A short stable code for scripts and tests, e.g. "no_subflow_endpoint".
    public let code: String
    /// One sentence for a person, with the command that fixes it where there is one.
    public let message: String
    /// The connection the finding is about, when it is about one.
    public let token: UInt32?

    public init(_ severity: Severity, _ code: String, _ message: String, token: UInt32? = nil) {
        self.severity = severity
        self.code = code
        self.message = message
        self.token = token
    }
}
