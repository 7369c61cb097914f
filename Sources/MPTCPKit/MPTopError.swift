import SystemPackage

/// Every error mptop reports to a person: one line, no stack trace.
public enum MPTopError: Error, CustomStringConvertible, Equatable {
    case usage(String)
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
        case .noSuchNamespace(let n):
            return "no network namespace named \(NetworkNamespaceName.quoted(n)) (see 'ip netns list')"
        case .namespacePermission(let n):
            return "cannot enter network namespace \(NetworkNamespaceName.quoted(n)): permission denied (needs root or CAP_SYS_ADMIN)"
        case .mptcpMissing:
            return "this kernel has no MPTCP (no /proc/sys/net/mptcp; needs CONFIG_MPTCP, Linux 5.6 or later)"
        case .mptcpDiagMissing:
            return "the kernel cannot report MPTCP sockets (needs CONFIG_INET_MPTCP_DIAG or 'modprobe mptcp_diag')"
        case .permission(let s): return s
        case .netlink(let what, let e): return "\(what): \(MPTopError.errnoText(e))"
        case .malformed(let s): return "malformed netlink data: \(s)"
        case .io(let s): return s
        }
    }

    /// The C library's text for an errno value, e.g. "Operation not permitted".
    public static func errnoText(_ e: Int32) -> String { Errno(rawValue: e).text }
}
