import MPTCPKit

/// `mptop backup`: sets or clears backup priority, per endpoint (in-kernel path manager, all
/// connections using it) or per subflow of one connection (userspace path manager).
enum BackupCommand {
    static let usage = """
    usage: mptop backup --endpoint ADDR|ID (--on|--off) [--yes] [--netns NAME]
           mptop backup --token TOKEN --subflow LOCAL_ADDR:PORT (--on|--off) [--yes] [--netns NAME]

    --endpoint changes an in-kernel path-manager endpoint ('ip mptcp endpoint show'): the kernel
    only supports this per endpoint, so it applies to every connection using it.
    --token/--subflow changes one subflow of one connection; that needs the userspace path
    manager. With the in-kernel one it changes the subflow's endpoint instead (and says so).
    Asks for confirmation unless --yes. Needs CAP_NET_ADMIN.
    """

    static func run(_ args: [String], readOnly: Bool) throws -> Int32 {
        var scan = ArgumentScanner(args)
        var endpointText: String?, token: UInt32?, local: SocketAddress?, namespace: String?, backup: Bool?
        var yes = false
        while let w = scan.next() {
            switch w {
            case "--endpoint", "-e": endpointText = try scan.value(for: w)
            case "--token", "-t": token = try TokenText.parse(try scan.value(for: w))
            case "--subflow", "-s": local = try SocketAddressText.parse(try scan.value(for: w))
            case "--on": backup = true
            case "--off": backup = false
            case "--yes", "-y": yes = true
            case "--netns", "-n": namespace = try scan.namespace(for: w)
            case "--help", "-h": try Console.out(usage + "\n"); return 0
            default: throw ArgumentScanner.unknown(w, in: "mptop backup")
            }
        }
        guard let backup else { throw MPTopError.usage("mptop backup needs --on or --off (see 'mptop backup --help')") }
        guard (endpointText != nil) != (token != nil || local != nil) else {
            throw MPTopError.usage("mptop backup needs either --endpoint ADDR|ID or --token TOKEN --subflow LOCAL_ADDR:PORT")
        }
        if endpointText == nil && (token == nil || local == nil) {
            throw MPTopError.usage("mptop backup needs both --token and --subflow")
        }

        let sampler = try ActionSupport.prepare(action: "change backup priority", readOnly: readOnly, namespace: namespace)
        let toggle = try BackupToggle()
        let plan: BackupPlan
        if let endpointText {
            plan = BackupPlan(target: .endpoint(try toggle.endpoint(named: endpointText)), backup: backup)
        } else if let token, let local {
            let connection = try SnapshotLookup.connection(token: token, in: try sampler.sample())
            let subflow = try SnapshotLookup.subflow(local: local, of: connection)
            plan = try toggle.plan(subflow: subflow, of: connection, backup: backup)
        } else {
            return 2
        }
        try ActionSupport.confirm(plan.description, yes: yes)
        try toggle.apply(plan)
        try Console.out("done: \(plan.description.escapedForTerminal)\n")
        return 0
    }
}
