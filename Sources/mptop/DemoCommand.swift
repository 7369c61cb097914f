import ArgumentParser
import Dashboard
import LabKit
import MPTCPKit
import Output
#if canImport(Glibc)
import Glibc
#endif

/// `mptop demo`: builds a phone/server lab (wifi0 + cell0), streams real MPTCP traffic through
/// it with the built-in generator, and opens the dashboard on the phone with demo keys. With
/// `--script handover` it tells the handover story without a terminal. Everything it created is
/// removed on exit, Ctrl-C, SIGTERM and errors; `--cleanup` removes what a killed run left.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "A WiFi/cellular lab with live MPTCP traffic, on the dashboard (needs root).",
        discussion: """
        Builds two network namespaces, a "phone" and a "server", joined by two paths named wifi0 \
        and cell0 (shaped with tc tbf, default 50 and 20 Mbit/s), gives the phone an MPTCP \
        subflow endpoint on cell0, streams data from phone to server (every byte checked at the \
        receiver), and opens the dashboard on the phone; with --json (and --count) it streams \
        the phone's snapshots instead. Demo keys:
          1  take WiFi away (wifi0 down, as out of range) / bring it back
          2  degrade cellular to a tenth of its rate / restore it
          3  add a third path, eth0 (30 Mbit/s)
          4  start another transfer
        The bar shows what the receiver has checked so far ("intact" while every byte matched). \
        q or Ctrl-C ends the demo and removes the lab. Needs root (it creates namespaces); \
        nothing outside the two namespaces is touched.

        --script handover needs no terminal: WiFi carries the traffic, WiFi goes away, cellular \
        takes over, WiFi comes back (about 30 s). It prints the interface rates every half \
        second and what happened when; --json prints one object with "timeline" ([{"t": \
        seconds, "interfaces": {"wifi0": bits/s, ...}}]), "events" and "intact". Exit status 1 \
        if any byte arrived damaged.
        """)

    enum Script: String, CaseIterable { case handover }

    @Option(parsing: .unconditional, help: ArgumentHelp("Tell a story without a terminal: handover.", valueName: "NAME"),
            completion: .list(Script.allCases.map(\.rawValue)),
            transform: { name in
                guard let script = Script(rawValue: name) else { throw MPTopError.usage("unknown demo script '\(name)' (there is: handover)") }
                return script
            })
    var script: Script?

    @Flag(help: """
        Remove namespaces left by demo and test runs of this host that were killed (those their \
        run's marker in /run/mptop/labs proves to be its own); kills no process outside them.
        """)
    var cleanup = false

    @Option(name: .customLong("wifi-rate"), parsing: .unconditional, help: ArgumentHelp("wifi0's rate in Mbit/s (default 50).", valueName: "MBIT"),
            transform: megabits("--wifi-rate"))
    var wifiRate: UInt64 = 50_000_000

    @Option(name: .customLong("cell-rate"), parsing: .unconditional, help: ArgumentHelp("cell0's rate in Mbit/s (default 20).", valueName: "MBIT"),
            transform: megabits("--cell-rate"))
    var cellRate: UInt64 = 20_000_000

    @Option(name: [.customShort("i"), .long], parsing: .unconditional,
            help: ArgumentHelp("Time between samples (default 1).", valueName: "SECS"), transform: ArgumentValue.seconds("--interval"))
    var interval: Double?

    @Option(name: [.customShort("c"), .long], parsing: .unconditional,
            help: ArgumentHelp("With --json: stop after N snapshots.", valueName: "N"), transform: ArgumentValue.count("--count"))
    var count: Int?

    @Flag(name: [.customShort("j"), .long], help: "JSON: the phone's snapshots, or the handover story's report.")
    var json = false

    @Option(help: ArgumentHelp("Record the demo's dashboard to FILE (see 'mptop replay').", valueName: "FILE"),
            completion: .file())
    var record: String?

    @OptionGroup var readOnly: ReadOnlyOption
    @OptionGroup(title: "Dashboard options") var display: DisplayOptions

    func run() throws {
        if cleanup {
            try Self.requireRoot()
            let removed = Lab.cleanupStale()
            try Console.out(removed.isEmpty ? "no namespaces of dead demo or test runs to remove\n"
                : "removed the namespaces of demo and test runs that are no longer running: \(removed.joined(separator: ", "))\n")
            return
        }
        var monitor = MonitorOptions()
        monitor.interval = interval
        monitor.count = count
        monitor.output = json ? .json : .table
        monitor.readOnly = readOnly.readOnly
        display.apply(to: &monitor)
        let wifi = wifiRate, cell = cellRate
        if script != nil && monitor.count != nil { throw MPTopError.usage("--count does not go with --script") }
        if record != nil && (script != nil || !monitor.wantsDashboard) { throw MPTopError.usage("--record goes with the demo's dashboard (for the rest: mptop record)") }
        if script == nil && monitor.wantsDashboard { _ = try DashboardCommand.loadThemes(monitor) }
        // Asked before the lab is built: a terminal that cannot take the dashboard is said in
        // one line with nothing to clean up; one that takes only lines gets the plain view.
        let dashboard = try script == nil && monitor.wantsDashboard && DashboardCommand.terminalCanDraw()
        if record != nil && !dashboard { throw MPTopError.usage("--record needs the dashboard, and this is not a terminal that can draw it (for the rest: mptop record)") }
        try Self.requireRoot()
        // Before anything makes a namespace (the lab probe is the first): a SIGTERM or Ctrl-C from
        // then on ends the demo through its cleanup instead of killing it with namespaces left.
        let stop = try StopSignal()
        stop.installSignalHandlers()
        if let reason = LabEnvironment.skipReason() { throw MPTopError.io("cannot build the demo lab: \(reason)") }
        Lab.cleanupStale()
        // Its own file for the traffic generator, never one found by $MPTOP_BINARY or in the
        // working directory (MptopBinary's search, for tests): this runs as root.
        guard let mptop = RunningExecutable.path else { throw MPTopError.io("cannot build the demo lab: /proc/self/exe is unreadable") }
        let demo: DemoLab
        do {
            demo = try DemoLab(options: LabOptions(wifiRate: wifi, cellRate: cell), mptop: mptop)
        } catch { throw MPTopError.io("cannot build the demo lab: \(error)") }
        defer { demo.close() }
        let home = try NetworkNamespace.Saved()
        // Back home before the deferred teardown: it kills every process left in the lab.
        defer { try? home.restore() }
        try NetworkNamespace.enter(demo.lab.clientNamespace)
        monitor.namespace = demo.lab.clientNamespace

        if script != nil {
            let status = try HandoverScript(demo: demo, stop: stop, json: monitor.output == .json).run()
            if status != 0 { throw ExitCode(status) }
            return
        }
        if !dashboard {
            Console.err("mptop demo: phone namespace \(demo.lab.clientNamespace), server \(demo.lab.serverNamespace); Ctrl-C ends the demo and removes both\n")
            _ = try MonitorCommand.run(monitor, shouldStop: { stop.isStopped })
        } else {
            _ = try DashboardCommand.run(monitor, extras: Self.extras(for: demo), enterNamespace: false, stop: stop, record: record)
        }
        // The bar may have had room for only the offset; the whole reason outlives the screen,
        // and a demo whose transfer arrived damaged did not succeed (exit 1, after the cleanup).
        if let problem = demo.receiver?.problem {
            Console.err("mptop demo: the receiver found the stream not intact: \(problem)\n")
            throw ExitCode(1)
        }
    }

    /// The demo bar: keys 1-4 and the receiver's verdict so far.
    static func extras(for demo: DemoLab) -> DashboardExtras {
        DashboardExtras(title: "DEMO", items: {
            [StatusBar.Item(key: "1", label: demo.wifiUp ? "WiFi away" : "WiFi back"),
             StatusBar.Item(key: "2", label: demo.cellDegraded ? "fast cellular" : "slow cellular"),
             StatusBar.Item(key: "3", label: "add eth0"),
             StatusBar.Item(key: "4", label: "new transfer")]
        }, status: {
            guard let r = demo.receiver else { return StatusBar.Status(text: "receiver: waiting", good: true) }
            let verdict = "\(Units.bytes(r.bytesReceived)) " + (r.intact ? "intact" : "CORRUPTED")
            // What was wrong, as much as the bar has room for: a bare CORRUPTED explains nothing.
            let text = "receiver: " + verdict + (r.problem.map { " " + $0 } ?? "")
            let short = verdict + (r.badOffset.map { " at byte \($0)" } ?? "")
            return StatusBar.Status(text: text, short: short, good: r.intact)
        }, perform: { key in
            do {
                switch key {
                case "1": return try demo.toggleWifi()
                case "2": return try demo.toggleCellDegraded()
                case "3": return try demo.addThirdPath()
                default: return try demo.startTransfer()
                }
            } catch {
                return "failed: \(error)"
            }
        })
    }

    static func requireRoot() throws {
        guard geteuid() == 0 else {
            throw MPTopError.permission("mptop demo needs root: it creates network namespaces (try: sudo mptop demo)")
        }
    }

    static func megabits(_ flag: String) -> @Sendable (String) throws -> UInt64 {
        { v in
            guard let m = Double(v), m >= 0.1, m <= 10_000 else { throw MPTopError.usage("\(flag) takes Mbit/s from 0.1 to 10000, not '\(v)'") }
            return UInt64(m * 1_000_000)
        }
    }
}
