import SystemPackage

/// The errors mptop reports to a person: one line, no stack trace. Each is a category the
/// command line maps to its exit status (2 for `usage` and `invalidRequest`, 1 for the rest)
/// where it prints the line (Sources/mptop/CommandLine+Run.swift, the exporter's main): the
/// library only says what went wrong. A failed system call is a `SystemCallError` instead,
/// carrying its `Errno`, the operation and the path.
public enum MPTopError: Error, CustomStringConvertible, Equatable {
    /// The command line was wrong: thrown by the commands only (Sources/mptop, the exporter).
    case usage(String)
    /// What the caller asked the library for does not fit what is there or what is safe: text
    /// that does not parse (a token, an address, a namespace name), a connection, subflow,
    /// interface or endpoint that is not there, an action refused until it is forced or confirmed.
    case invalidRequest(String)
    case noSuchNamespace(String)
    case namespacePermission(String)
    case mptcpMissing
    case mptcpDiagMissing
    case permission(String)
    case netlink(String, errno: Int32)
    case malformed(String)
    case io(String)

    public var description: String {
        switch self {
        case .usage(let s): return s
        case .invalidRequest(let s): return s
        case .noSuchNamespace(let n):
            return "no network namespace named \(NetworkNamespaceName.quoted(n)) (see 'ip netns list')"
        case .namespacePermission(let n):
            return "cannot enter network namespace \(NetworkNamespaceName.quoted(n)): permission denied (needs root or CAP_SYS_ADMIN)"
        case .mptcpMissing:
            return "this kernel has no MPTCP (no /proc/sys/net/mptcp; needs CONFIG_MPTCP, Linux 5.6 or later)"
        case .mptcpDiagMissing:
            return "the kernel cannot report MPTCP sockets (needs CONFIG_INET_MPTCP_DIAG or 'modprobe mptcp_diag')"
        case .permission(let s): return s
        case .netlink(let what, let e): return "\(what): \(Errno(rawValue: e).text)"
        case .malformed(let s): return "malformed netlink data: \(s)"
        case .io(let s): return s
        }
    }
}
