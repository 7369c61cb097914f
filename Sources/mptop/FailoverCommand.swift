import ArgumentParser
import MPTCPKit
import Output

/// `mptop failover`: makes one interface fail for one connection for a while, measures how the
/// traffic moves, restores everything (also on Ctrl-C and SIGTERM) and reports.
struct FailoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "failover",
        abstract: "Make one interface fail for a connection for a while, and report how traffic moved.",
        discussion: """
        --all tests every MPTCP connection with a subflow on IF at once (the report sums them). \
        Measures the connection's throughput per interface for --baseline seconds, then makes IF \
        fail for --duration seconds, restores it and measures --settle seconds more, sampling \
        every --interval seconds (recovery_ms is as precise). The modes:
          blackhole  drops the connection's packets on IF (an nftables table of mptop's
                     own, matching only its subflows, so nothing else is affected;
                     needs nftables)
          close      closes its subflows on IF; they are re-created afterwards with the
                     userspace path manager, never with the in-kernel one (it does not
                     re-create subflows)
          backup     demotes IF to backup (with the in-kernel path manager: IF's
                     endpoint, for every connection using it)
        The report gives throughput per interface before/during/after, recovery_ms (from the \
        failure until the other paths carry half the earlier rate), survived and restored; \
        --json prints it as one JSON object. Everything changed is put back at the end, on \
        Ctrl-C and on SIGTERM; a run killed hard leaves a journal in /run/mptop that the next \
        mptop restores. Asks for confirmation unless --yes. Needs CAP_NET_ADMIN.
        """)

    @Option(name: [.customShort("t"), .long], parsing: .unconditional,
            help: ArgumentHelp("The connection's token (hex); or --all.", valueName: "TOKEN"), transform: TokenText.parse)
    var token: UInt32?

    @Flag(help: "Test every MPTCP connection with a subflow on the interface.")
    var all = false

    @Option(name: [.customShort("I"), .long], parsing: .unconditional,
            help: ArgumentHelp("The interface to make fail.", valueName: "IF"),
            completion: .shellCommand("ls /sys/class/net"))
    var interface: String

    @Option(name: [.customShort("m"), .long], parsing: .unconditional,
            help: ArgumentHelp("How it fails: blackhole, close or backup.", valueName: "MODE"),
            completion: .list(FailoverMode.allCases.map(\.rawValue)), transform: FailoverMode.parse)
    var mode: FailoverMode

    @Option(name: [.customShort("d"), .long], parsing: .unconditional,
            help: ArgumentHelp("How long it fails, in seconds (above 0).", valueName: "SECS"), transform: ArgumentValue.seconds("--duration"))
    var duration: Double

    @Option(parsing: .unconditional, help: ArgumentHelp("Seconds measured before (default 2).", valueName: "SECS"),
            transform: ArgumentValue.seconds("--baseline"))
    var baseline: Double = 2

    @Option(parsing: .unconditional, help: ArgumentHelp("Seconds measured after (default 2).", valueName: "SECS"),
            transform: ArgumentValue.seconds("--settle"))
    var settle: Double = 2

    @Option(name: [.customShort("i"), .long], parsing: .unconditional,
            help: ArgumentHelp("Seconds between samples (default 0.1, at least 0.05).", valueName: "SECS"),
            transform: ArgumentValue.seconds("--interval"))
    var interval: Double = 0.1

    @Flag(name: [.customShort("j"), .long], help: "Print the report as one JSON object (progress goes to stderr).")
    var json = false

    @OptionGroup var action: ActionOptions

    func validate() throws {
        guard (token != nil) != all else {
            throw MPTopError.usage("mptop failover needs either --token TOKEN or --all (see 'mptop failover --help')")
        }
        guard duration > 0 else { throw MPTopError.usage("mptop failover needs --duration SECS (above 0)") }
    }

    func run() throws {
        let interval = max(0.05, interval), namespace = action.netns
        let sampler = try action.prepare(action: "run a failover test")
        let config = FailoverConfig(target: token.map(FailoverTarget.token) ?? .everyConnection, interface: interface, mode: mode,
                                    duration: duration, baseline: baseline, settle: settle, namespace: namespace)
        let test = try FailoverTest(config: config, snapshot: try sampler.sample(), interfaces: sampler.interfaceTable)
        try action.confirm(test.description)

        let stop = try StopSignal()
        stop.installSignalHandlers()
        // Whatever ends the command before the test does (a report stdout cannot take, the
        // reader of the pipe going away), what the test changed is put back first.
        defer { if !test.isFinished { test.stop(reason: "mptop is exiting") } }
        let progress: (String) throws -> Void = json ? { Console.err($0) } : { try Console.out($0) }
        try progress("mptop: \(test.description.escapedForTerminal)\n")
        var deadline = Clock.system.monotonicNanos()
        var printed = 0
        let printEvents = {
            for e in test.events.dropFirst(printed) { try progress("t=\(Units.fixed(e.time, decimals: 1)) s  \(e.text.escapedForTerminal)\n") }
            printed = test.events.count
        }
        var interrupted = false
        while !test.isFinished {
            if stop.isStopped {
                interrupted = true
                test.stop(reason: "interrupted by a signal")
                break
            }
            do {
                test.observe(try sampler.sample())
            } catch {
                test.stop(reason: "sampling failed: \(error)")
            }
            try printEvents()
            deadline &+= UInt64(interval * 1e9)
            let now = Clock.system.monotonicNanos()
            if deadline > now { try MonitorCommand.sleepSeconds(Double(deadline - now) / 1e9, { stop.isStopped }) } else { deadline = now }
        }
        try printEvents()
        let report = test.report
        if json { try Console.out(report.json + "\n") } else { try Console.out(report.text) }
        if let failure = test.failure { throw MPTopError.io("failover test failed: \(failure)") }
        if !report.restored { throw MPTopError.io("not everything could be restored (see the report)") }
        if interrupted { throw MPTopError.io("failover test interrupted; everything it changed was restored") }
    }
}
