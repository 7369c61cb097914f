#if canImport(Glibc)
import Glibc
#endif

/// What closing one subflow would do, worked out before anything changes, so a confirmation
/// dialog (or the `y/N` prompt) can show `description` verbatim and name the exact subflow.
public struct CloseSubflowPlan: Sendable {
    public enum Method: String, Sendable {
        /// SOCK_DESTROY over sock_diag: the subflow is aborted with an RST (MP_TCPRST).
        case sockDestroy = "SOCK_DESTROY"
        /// The userspace path manager's MPTCP_PM_CMD_SUBFLOW_DESTROY: a graceful close.
        case subflowDestroy = "SUBFLOW_DESTROY"
    }

    /// nil when the connection showed no mptcp_info: SUBFLOW_DESTROY needs a token, so such a
    /// plan always uses SOCK_DESTROY (which matches the subflow by its own identity).
    public let token: UInt32?
    public let subflow: Subflow
    public let method: Method
    /// The subflow is the connection's only one: closing it strands the connection.
    public let isLastSubflow: Bool

    public init(token: UInt32?, subflow: Subflow, method: Method, isLastSubflow: Bool) {
        self.token = token
        self.subflow = subflow
        self.method = method
        self.isLastSubflow = isLastSubflow
    }

    /// E.g. "close subflow 198.18.2.1:43210 -> 198.18.0.1:5201 on cell0 of connection 5f1c2a3b".
    public var description: String {
        "close subflow \(subflow.local) -> \(subflow.remote) on \(subflow.interfaceName ?? "?") of connection \(tokenText(token))"
    }

    /// Why closing the last subflow is refused without force (docs/kernel.md, "Closing a subflow").
    public static let strandingWarning = "it is the connection's last subflow: the kernel would keep the connection open with no subflow "
        + "until net.mptcp.close_timeout (60 s by default) and the application would not be woken"
}

/// Closes exactly one subflow of a live connection.
///
/// In-kernel path manager: SOCK_DESTROY on the TCP subflow, matched by its full identity and
/// cookie. Userspace path manager: SUBFLOW_DESTROY with token and both addresses; when the
/// kernel answers that the connection is not userspace-managed (the setting changed after it
/// was made), SOCK_DESTROY is used instead. Either way the connection goes on over its other
/// subflows; the in-kernel PM does not re-create the closed one.
public final class SubflowCloser {
    private let diag: NetlinkSocket
    private let pathManager: PathManagerClient?
    public let pathManagerKind: PathManagerKind

    /// Opens its sockets in the calling thread's namespace (enter it first).
    public init(pathManagerKind: PathManagerKind = .current()) throws {
        diag = try NetlinkSocket(.sockDiag)
        self.pathManagerKind = pathManagerKind
        pathManager = pathManagerKind == .userspace ? try PathManagerClient() : nil
    }

    /// The plan for closing `subflow` of `connection`. Throws `.invalidRequest` for the last subflow
    /// unless `force`, with the reason; nothing is changed either way.
    public func plan(connection: Connection, subflow: Subflow, force: Bool = false) throws -> CloseSubflowPlan {
        let last = connection.subflows.count <= 1
        if last && !force {
            throw MPTopError.invalidRequest("refusing to close \(subflow.local) -> \(subflow.remote): \(CloseSubflowPlan.strandingWarning) (--force closes it anyway)")
        }
        // No mptcp_info, no token: SUBFLOW_DESTROY cannot name the connection, SOCK_DESTROY can.
        let token = connection.token
        return CloseSubflowPlan(token: token, subflow: subflow,
                                method: pathManagerKind == .userspace && token != nil ? .subflowDestroy : .sockDestroy,
                                isLastSubflow: last)
    }

    /// Carries out `plan`. Returns the method that actually closed the subflow.
    @discardableResult
    public func execute(_ plan: CloseSubflowPlan) throws -> CloseSubflowPlan.Method {
        if plan.method == .subflowDestroy, let pathManager, let token = plan.token {
            do {
                try pathManager.destroySubflow(token: token, local: plan.subflow.local, remote: plan.subflow.remote)
                return .subflowDestroy
            } catch MPTopError.netlink(_, let e) where e == EINVAL {
                // "userspace PM not selected": this connection predates the switch to userspace.
            }
        }
        try destroy(plan.subflow)
        return .sockDestroy
    }

    /// SOCK_DESTROY on one TCP subflow, with errors that say what went wrong.
    public func destroy(_ subflow: Subflow) throws {
        do {
            try diag.request(SockDestroyRequest.tcp(subflow))
        } catch MPTopError.netlink(_, let e) {
            let what = "cannot close subflow \(subflow.local) -> \(subflow.remote)"
            switch e {
            case ENOENT: throw MPTopError.io("\(what): it is gone already")
            case ESTALE: throw MPTopError.io("\(what): the socket was replaced (cookie changed)")
            case EPERM, EACCES: throw MPTopError.permission("\(what): needs CAP_NET_ADMIN in the connection's namespace")
            case EOPNOTSUPP: throw MPTopError.io("\(what): this kernel cannot destroy sockets (needs CONFIG_INET_DIAG_DESTROY)")
            default: throw MPTopError.netlink(what, errno: e)
            }
        }
    }
}
