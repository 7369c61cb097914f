import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// The `MPTCP_ATTR_ERROR` of a subflow event: the subflow's `sk_err` (an errno), in words.
///
/// The kernel only sets it while the MPTCP connection is established and the subflow has an
/// error, so its absence means "closed cleanly" (or the connection was already going away).
public struct PathManagerEventError: Equatable, Sendable {
    public let errno: Int32

    public init(errno: Int32) { self.errno = errno }

    /// The errno's symbolic name where it is one a subflow meets, else nil.
    public var name: String? { Self.known[errno]?.name }

    /// Plain words: what it means for a subflow. Errnos a subflow rarely sees fall back to the
    /// C library's text.
    public var text: String {
        if let k = Self.known[errno] { return k.text }
        return Errno(rawValue: errno).text.lowercased()
    }

    /// The errnos seen on subflows: 103 after a local SOCK_DESTROY (`ss -K`), 104 when the peer
    /// reset the subflow, 111 for a refused join (docs/kernel.md, "Path-manager events").
    static let known: [Int32: (name: String, text: String)] = [
        32: ("EPIPE", "broken pipe"),
        101: ("ENETUNREACH", "network unreachable"),
        103: ("ECONNABORTED", "connection aborted (closed locally)"),
        104: ("ECONNRESET", "connection reset by peer"),
        110: ("ETIMEDOUT", "timed out"),
        111: ("ECONNREFUSED", "connection refused (join refused)"),
        113: ("EHOSTUNREACH", "no route to host"),
    ]
}

/// The MP_TCPRST reason a peer gave when it reset a subflow (RFC 8684, section 3.6).
public struct PathManagerResetReason: Equatable, Sendable {
    public let code: UInt32

    public init(code: UInt32) { self.code = code }

    /// The RFC's short name ("EUNSPEC", ...), or nil for a code the RFC does not define.
    public var name: String? { Self.known[code]?.name }

    /// Plain words, e.g. "administratively prohibited"; unknown codes as "reason N".
    public var text: String { Self.known[code]?.text ?? "reason \(code)" }

    static let known: [UInt32: (name: String, text: String)] = [
        0: ("EUNSPEC", "unspecified error"),
        1: ("EMPTCP", "MPTCP-specific error"),
        2: ("ERESOURCE", "lack of resources"),
        3: ("EPROHIBIT", "administratively prohibited"),
        4: ("EWQ2BIG", "too much outstanding data"),
        5: ("EBADPERF", "unacceptable performance"),
        6: ("EMIDDLEBOX", "middlebox interference"),
    ]
}
