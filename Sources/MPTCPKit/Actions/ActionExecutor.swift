/// Plans and executes `MPTCPAction`s for the dashboard (the command-line subcommands use the
/// same pieces). Works in the namespace of the thread that calls it: enter it first.
public final class ActionExecutor {
    public let readOnly: Bool
    public let pathManager: PathManagerKind

    public init(readOnly: Bool = false, pathManager: PathManagerKind = .current()) {
        self.readOnly = readOnly
        self.pathManager = pathManager
    }

    /// Why actions are off, for the dashboard's header ("read-only: ..."), or nil when they
    /// are allowed.
    public var readOnlyReason: String? {
        if readOnly { return "read-only (--readonly)" }
        if !Privileges.hasNetAdmin() { return "read-only (no CAP_NET_ADMIN)" }
        return nil
    }

    /// Works out `action` against `snapshot`: finds what it names, checks what it needs, and
    /// changes nothing. One-line errors (`MPTopError`) for connections that closed, unknown subflows,
    /// interfaces and for what the path manager cannot do.
    public func plan(_ action: MPTCPAction, snapshot: Snapshot, interfaces: InterfaceTable) throws -> PlannedAction {
        switch action {
        case .closeSubflow(let id, let local):
            let c = try SnapshotLookup.connection(id, in: snapshot)
            let s = try SnapshotLookup.subflow(local: local, of: c)
            let plan = try SubflowCloser(pathManagerKind: pathManager).plan(connection: c, subflow: s, force: true)
            return PlannedAction(action: action, description: plan.description,
                                 secondConfirmation: plan.isLastSubflow ? "this is the LAST subflow: \(CloseSubflowPlan.strandingWarning)" : nil,
                                 work: .close(plan))
        case .toggleSubflowBackup(let id, let local):
            let c = try SnapshotLookup.connection(id, in: snapshot)
            let s = try SnapshotLookup.subflow(local: local, of: c)
            let plan = try BackupToggle().plan(subflow: s, of: c, pathManager: pathManager)
            return PlannedAction(action: action, description: plan.description, secondConfirmation: nil, work: .backup([plan]))
        case .toggleInterfaceBackup(let name):
            let plans = try BackupToggle().plan(interface: name, interfaces: interfaces)
            return PlannedAction(action: action, description: plans.map(\.description).joined(separator: "; "),
                                 secondConfirmation: nil, work: .backup(plans))
        case .failover(let config):
            let test = try FailoverTest(config: config, snapshot: snapshot, interfaces: interfaces)
            return PlannedAction(action: action, description: test.description, secondConfirmation: nil, work: .failover(test))
        }
    }

    /// Carries out a confirmed plan. `confirmedTwice` must be true when the plan asked for a
    /// second confirmation. Refuses in read-only mode or without CAP_NET_ADMIN.
    public func execute(_ planned: PlannedAction, confirmedTwice: Bool = false) throws -> ActionOutcome {
        try Privileges.requireNetAdmin(for: planned.description, readOnly: readOnly)
        if let why = planned.secondConfirmation, !confirmedTwice {
            throw MPTopError.invalidRequest("not confirmed twice: \(why)")
        }
        switch planned.work {
        case .close(let plan):
            let method = try SubflowCloser(pathManagerKind: pathManager).execute(plan)
            return .done("closed subflow \(plan.subflow.local) -> \(plan.subflow.remote) of connection \(tokenText(plan.token)) (\(method.rawValue))")
        case .backup(let plans):
            let toggle = try BackupToggle()
            for p in plans { try toggle.apply(p) }
            return .done(plans.map(\.description).joined(separator: "; "))
        case .failover(let test):
            return .failover(test)
        }
    }
}
