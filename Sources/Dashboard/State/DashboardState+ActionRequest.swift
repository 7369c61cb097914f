import MPTCPKit

/// What an action key asks for on the selected row: the action, aimed at the connection by its
/// identity (never by its token, which a connection without mptcp_info does not have), or why
/// there is nothing here to act on, in words for the footer.
public enum ActionChoice: Equatable, Sendable {
    case action(MPTCPAction)
    case refused(String)
}

extension DashboardState {
    /// How long a failover test started from the dashboard makes the interface fail.
    public static let failoverDuration = 5.0

    /// The action `request` names on the selected row (or interface). What the action then
    /// needs (a token for the path manager's commands, an endpoint, ...) the plan checks, and
    /// its refusal says why.
    public func action(for request: ActionRequest, namespace: String?) -> ActionChoice {
        switch (request, pane) {
        case (.closeSubflow, .connections):
            guard let (c, s) = selectedSubflow else {
                return .refused("select a subflow to close (Enter shows a connection's subflows)")
            }
            return .action(.closeSubflow(connection: c.id, local: s.local))
        case (.toggleBackup, .connections):
            guard let (c, s) = selectedSubflow else {
                return .refused("select a subflow (or, with Tab, an interface) to change its backup flag")
            }
            return .action(.toggleSubflowBackup(connection: c.id, local: s.local))
        case (.toggleBackup, .interfaces):
            guard let name = selectedInterface else { return .refused("select an interface to change its backup flag") }
            return .action(.toggleInterfaceBackup(interface: name))
        case (.failover, .connections):
            guard let c = selectedConnection, let busiest = c.interfaceShares.first?.name else {
                return .refused("select a live connection (or, with Tab, an interface) for a failover test")
            }
            return .action(.failover(FailoverConfig(target: .connection(c.id), interface: busiest, mode: .blackhole,
                                                    duration: Self.failoverDuration, namespace: namespace)))
        case (.failover, .interfaces):
            guard let name = selectedInterface else { return .refused("select an interface for a failover test") }
            return .action(.failover(FailoverConfig(target: .everyConnection, interface: name, mode: .blackhole,
                                                    duration: Self.failoverDuration, namespace: namespace)))
        case (.closeSubflow, .interfaces):
            return .refused("x works on a subflow row")
        }
    }
}
