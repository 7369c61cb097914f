import ArgumentParser
import MPTCPKit
import Output

/// `mptop backup`: sets or clears backup priority, per endpoint (in-kernel path manager, all
/// connections using it) or per subflow of one connection (userspace path manager).
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Change backup priority of an endpoint or of one subflow.",
        discussion: """
        --endpoint changes an in-kernel path-manager endpoint ('ip mptcp endpoint show'): the \
        kernel only supports this per endpoint, so it applies to every connection using it. \
        --token/--subflow changes one subflow of one connection; that needs the userspace path \
        manager. With the in-kernel one it changes the subflow's endpoint instead (and says so). \
        Asks for confirmation unless --yes. Needs CAP_NET_ADMIN.
        """)

    @Option(name: [.customShort("e"), .long], parsing: .unconditional,
            help: ArgumentHelp("An in-kernel path-manager endpoint, by address or id.", valueName: "ADDR|ID"))
    var endpoint: String?

    @Option(name: [.customShort("t"), .long], parsing: .unconditional,
            help: ArgumentHelp("The connection's token (hex), with --subflow.", valueName: "TOKEN"), transform: TokenText.parse)
    var token: UInt32?

    @Option(name: [.customShort("s"), .long], parsing: .unconditional,
            help: ArgumentHelp("The subflow's local address, with --token.", valueName: "LOCAL_ADDR:PORT"), transform: SocketAddressText.parse)
    var subflow: SocketAddress?

    @Flag(exclusivity: .chooseLast, help: "Set (--on) or clear (--off) backup priority.")
    var priority: Priority?

    enum Priority: EnumerableFlag { case on, off }

    @OptionGroup var action: ActionOptions

    func validate() throws {
        guard priority != nil else { throw MPTopError.usage("mptop backup needs --on or --off (see 'mptop backup --help')") }
        guard (endpoint != nil) != (token != nil || subflow != nil) else {
            throw MPTopError.usage("mptop backup needs either --endpoint ADDR|ID or --token TOKEN --subflow LOCAL_ADDR:PORT")
        }
        if endpoint == nil && (token == nil || subflow == nil) {
            throw MPTopError.usage("mptop backup needs both --token and --subflow")
        }
    }

    func run() throws {
        guard let priority else { return }
        let backup = priority == .on
        let endpointText = endpoint, local = subflow
        let sampler = try action.prepare(action: "change backup priority")
        let toggle = try BackupToggle()
        let plan: BackupPlan
        if let endpointText {
            plan = BackupPlan(target: .endpoint(try toggle.endpoint(named: endpointText)), backup: backup)
        } else if let token, let local {
            let connection = try SnapshotLookup.connection(token: token, in: try sampler.sample())
            let subflow = try SnapshotLookup.subflow(local: local, of: connection)
            plan = try toggle.plan(subflow: subflow, of: connection, backup: backup)
        } else {
            return
        }
        try action.confirm(plan.description)
        try toggle.apply(plan)
        try Console.out("done: \(plan.description.escapedForTerminal)\n")
    }
}
