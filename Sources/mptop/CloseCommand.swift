import ArgumentParser
import MPTCPKit
import Output
#if canImport(Glibc)
import Glibc
#endif

/// `mptop close`: closes exactly one subflow of a live connection (SOCK_DESTROY with the
/// in-kernel path manager, SUBFLOW_DESTROY with the userspace one).
struct CloseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close",
        abstract: "Close one subflow of an MPTCP connection.",
        discussion: """
        The connection goes on over its other subflows. TOKEN is the connection's token in hex \
        as mptop or 'ss -M' print it (0x prefix allowed); LOCAL_ADDR:PORT is the subflow's local \
        address ([ADDR]:PORT for IPv6). Asks for confirmation unless --yes. Closing a connection's \
        last subflow is refused unless --force: the kernel would keep the connection open with no \
        subflow until net.mptcp.close_timeout and the application would not be woken. Needs \
        CAP_NET_ADMIN.
        """)

    @Option(name: [.customShort("t"), .long], parsing: .unconditional,
            help: ArgumentHelp("The connection's token (hex).", valueName: "TOKEN"), transform: TokenText.parse)
    var token: UInt32

    @Option(name: [.customShort("s"), .long], parsing: .unconditional,
            help: ArgumentHelp("The subflow's local address.", valueName: "LOCAL_ADDR:PORT"), transform: SocketAddressText.parse)
    var subflow: SocketAddress

    @Flag(help: "Also close a connection's last subflow.")
    var force = false

    @OptionGroup var action: ActionOptions

    func run() throws {
        let local = subflow
        let sampler = try action.prepare(action: "close a subflow")
        let connection = try SnapshotLookup.connection(token: token, in: try sampler.sample())
        let subflow = try SnapshotLookup.subflow(local: local, of: connection)
        let closer = try SubflowCloser()
        let plan = try closer.plan(connection: connection, subflow: subflow, force: force)
        if plan.isLastSubflow {
            Console.err("mptop: warning: \(CloseSubflowPlan.strandingWarning)\n")
            try action.confirm("really \(plan.description), its LAST subflow")
        }
        try action.confirm(plan.description)
        let method = try closer.execute(plan)

        // The kernel acknowledged; check that the subflow is really gone from the dump (a
        // graceful SUBFLOW_DESTROY may leave it closing for a moment: not established = gone).
        var remaining: Int?
        for _ in 0..<40 {
            let now = try sampler.sample()
            let c = now.connections.first { $0.info != nil && $0.token == token }
            let live = c?.subflows.filter { $0.state == .established } ?? []
            if !live.contains(where: { $0.cookie == subflow.cookie }) {
                remaining = live.count
                break
            }
            MonitorCommand.nanosleepSeconds(0.05)
        }
        guard let remaining else {
            throw MPTopError.io("the kernel accepted \(method.rawValue) but subflow \(subflow.local) -> \(subflow.remote) is still there")
        }
        try Console.out("closed subflow \(subflow.local) -> \(subflow.remote) on \((subflow.interfaceName ?? "?").escapedForTerminal) of connection \(hex(token)) "
            + "(\(method.rawValue)); \(remaining) subflow(s) left\n")
    }
}
