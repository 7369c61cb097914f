import MPTCPKit

/// `mptop failover`: makes one interface fail for one connection for a while, measures how the
/// traffic moves, restores everything (also on Ctrl-C and SIGTERM) and reports.
enum FailoverCommand {
    static let usage = """
    usage: mptop failover --token TOKEN|--all --interface IF --mode blackhole|close|backup --duration SECS
                          [--json] [--yes] [--netns NAME] [--interval SECS] [--baseline SECS] [--settle SECS]

    --all tests every MPTCP connection with a subflow on IF at once (the report sums them).
    Measures the connection's throughput per interface for --baseline seconds (default 2), then
    makes IF fail for --duration seconds, restores it and measures --settle seconds more
    (default 2), sampling every --interval seconds (default 0.1; recovery_ms is as precise):
      blackhole  drops the connection's packets on IF (an nftables table of mptop's own,
                 matching only its subflows, so nothing else is affected; needs nftables)
      close      closes its subflows on IF; they are re-created afterwards with the userspace
                 path manager, never with the in-kernel one (it does not re-create subflows)
      backup     demotes IF to backup (with the in-kernel path manager: IF's endpoint, for every
                 connection using it)
    The report gives throughput per interface before/during/after, recovery_ms (from the failure
    until the other paths carry half the earlier rate), survived and restored; --json prints it
    as one JSON object. Everything changed is put back at the end, on Ctrl-C and on SIGTERM; a
    run killed hard leaves a journal in /run/mptop that the next mptop restores.
    Asks for confirmation unless --yes. Needs CAP_NET_ADMIN.
    """

    static func run(_ args: [String], readOnly: Bool) throws -> Int32 {
        var scan = ArgumentScanner(args)
        var token: UInt32?, interface: String?, mode: FailoverMode?, duration: Double?, namespace: String?
        var json = false, yes = false, all = false, interval = 0.1, baseline = 2.0, settle = 2.0
        while let w = scan.next() {
            switch w {
            case "--token", "-t": token = try TokenText.parse(try scan.value(for: w))
            case "--interface", "-I": interface = try scan.value(for: w)
            case "--mode", "-m": mode = try FailoverMode.parse(try scan.value(for: w))
            case "--duration", "-d": duration = try scan.seconds(for: w)
            case "--baseline": baseline = try scan.seconds(for: w)
            case "--settle": settle = try scan.seconds(for: w)
            case "--interval", "-i": interval = max(0.05, try scan.seconds(for: w))
            case "--all": all = true
            case "--json", "-j": json = true
            case "--yes", "-y": yes = true
            case "--netns", "-n": namespace = try scan.namespace(for: w)
            case "--help", "-h": try Console.out(usage + "\n"); return 0
            default: throw ArgumentScanner.unknown(w, in: "mptop failover")
            }
        }
        guard (token != nil) != all else {
            throw MPTopError.usage("mptop failover needs either --token TOKEN or --all (see 'mptop failover --help')")
        }
        guard let interface else { throw MPTopError.usage("mptop failover needs --interface IF") }
        guard let mode else { throw MPTopError.usage("mptop failover needs --mode blackhole|close|backup") }
        guard let duration, duration > 0 else { throw MPTopError.usage("mptop failover needs --duration SECS (above 0)") }

        let sampler = try ActionSupport.prepare(action: "run a failover test", readOnly: readOnly, namespace: namespace)
        let config = FailoverConfig(token: token, interface: interface, mode: mode, duration: duration, baseline: baseline,
                                    settle: settle, namespace: namespace)
        let test = try FailoverTest(config: config, snapshot: try sampler.sample(), interfaces: sampler.interfaceTable)
        try ActionSupport.confirm(test.description, yes: yes)

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
        return 0
    }
}
