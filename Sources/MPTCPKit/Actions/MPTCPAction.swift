/// What a dashboard key (or a script) asks MPTCPKit to do: keys flow back as these typed
/// actions, `ActionExecutor` plans them (nothing changed, a text for the confirmation dialog)
/// and then carries them out. A connection is named by its identity, never by its token: every
/// connection has one, while a connection without mptcp_info has no token (the plan asks for the
/// token only where the kernel's command needs it, and says so when there is none).
public enum MPTCPAction: Sendable, Equatable {
    /// `x` on a subflow row.
    case closeSubflow(connection: ConnectionID, local: SocketAddress)
    /// `b` on a subflow row: userspace PM that subflow; in-kernel PM its endpoint.
    case toggleSubflowBackup(connection: ConnectionID, local: SocketAddress)
    /// `b` on an interface row: its endpoint(s) (in-kernel PM).
    case toggleInterfaceBackup(interface: String)
    /// `f` on a connection or interface.
    case failover(FailoverConfig)
}

/// An action worked out against a snapshot, ready to confirm and execute.
public struct PlannedAction {
    enum Work {
        case close(CloseSubflowPlan)
        case backup([BackupPlan])
        case failover(FailoverTest)
    }

    public let action: MPTCPAction
    /// What the confirmation dialog shows verbatim (names the exact connection and subflow).
    public let description: String
    /// Set when a second, explicit confirmation is needed (closing a connection's last
    /// subflow); the text says why.
    public let secondConfirmation: String?
    let work: Work
}

/// The result of executing a planned action.
public enum ActionOutcome {
    /// Done; one line saying what happened.
    case done(String)
    /// A failover test, validated and confirmed, not started yet: drive it with `observe`
    /// on every sample and `stop` on q / Ctrl-C / SIGTERM.
    case failover(FailoverTest)
}
