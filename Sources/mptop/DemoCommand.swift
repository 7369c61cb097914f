import Dashboard
import LabKit
import MPTCPKit
#if canImport(Glibc)
import Glibc
#endif

/// `mptop demo`: builds a phone/server lab (wifi0 + cell0), streams real MPTCP traffic through
/// it with the built-in generator, and opens the dashboard on the phone with demo keys. With
/// `--script handover` it tells the handover story without a terminal. Everything it created is
/// removed on exit, Ctrl-C, SIGTERM and errors; `--cleanup` removes what a killed run left.
enum DemoCommand {
    static let usage = """
    usage: mptop demo [--wifi-rate MBIT] [--cell-rate MBIT] [--interval SECS] [--theme NAME] [--no-color]
           mptop demo --script handover [--json]
           mptop demo --json [--count N]             stream the phone's snapshots instead
           mptop demo --record FILE [...]            the dashboard, recording to FILE (see mptop replay)
           mptop demo --cleanup

    Builds two network namespaces, a "phone" and a "server", joined by two paths named wifi0
    and cell0 (shaped with tc tbf, default 50 and 20 Mbit/s), gives the phone an MPTCP subflow
    endpoint on cell0, streams data from phone to server (every byte checked at the receiver),
    and opens the dashboard on the phone. Demo keys:
      1  take WiFi away (wifi0 down, as out of range) / bring it back
      2  degrade cellular to a tenth of its rate / restore it
      3  add a third path, eth0 (30 Mbit/s)
      4  start another transfer
    The bar shows what the receiver has checked so far ("intact" while every byte matched).
    q or Ctrl-C ends the demo and removes the lab. Needs root (it creates namespaces); nothing
    outside the two namespaces is touched.

    --script handover   no terminal needed: WiFi carries the traffic, WiFi goes away, cellular
                        takes over, WiFi comes back (about 30 s). Prints the interface rates
                        every half second and what happened when; --json prints one object with
                        "timeline" ([{"t": seconds, "interfaces": {"wifi0": bits/s, ...}}]),
                        "events" and "intact". Exit status 1 if any byte arrived damaged.
    --cleanup           remove namespaces left by demo and test runs of this host that were
                        killed (those their run's marker in /run/mptop/labs proves to be its
                        own); kills no process outside them.
    """

    static func run(_ args: [String]) throws -> Int32 {
        var monitor = MonitorOptions()
        var wifi: UInt64 = 50_000_000, cell: UInt64 = 20_000_000
        var script: String?
        var record: String?
        var scan = ArgumentScanner(args)
        while let w = scan.next() {
            switch w {
            case "--help", "-h": try Console.out(usage + "\n"); return 0
            case "--cleanup":
                try requireRoot()
                let removed = Lab.cleanupStale()
                try Console.out(removed.isEmpty ? "no namespaces of dead demo or test runs to remove\n"
                    : "removed the namespaces of demo and test runs that are no longer running: \(removed.joined(separator: ", "))\n")
                return 0
            case "--script":
                let name = try scan.value(for: w)
                guard name == "handover" else { throw MPTopError.usage("unknown demo script '\(name)' (there is: handover)") }
                script = name
            case "--interval", "-i": monitor.interval = try scan.seconds(for: w)
            case "--count", "-c": monitor.count = try scan.count(for: w)
            case "--json", "-j": monitor.output = .json
            case "--theme", "-t": monitor.theme = try scan.value(for: w)
            case "--no-color", "--no-colour": monitor.noColor = true
            case "--wifi-rate": wifi = try megabits(&scan, w)
            case "--cell-rate": cell = try megabits(&scan, w)
            case "--record": record = try scan.value(for: w)
            default: throw ArgumentScanner.unknown(w, in: "mptop demo")
            }
        }
        if script != nil && monitor.count != nil { throw MPTopError.usage("--count does not go with --script") }
        if record != nil && (script != nil || !monitor.wantsDashboard) { throw MPTopError.usage("--record goes with the demo's dashboard (for the rest: mptop record)") }
        if script == nil && monitor.wantsDashboard { _ = try DashboardCommand.loadThemes(monitor) }
        // Asked before the lab is built: a terminal that cannot take the dashboard is said in
        // one line with nothing to clean up; one that takes only lines gets the plain view.
        let dashboard = try script == nil && monitor.wantsDashboard && DashboardCommand.terminalCanDraw()
        try requireRoot()
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
            return try HandoverScript(demo: demo, stop: stop, json: monitor.output == .json).run()
        }
        if !dashboard {
            Console.err("mptop demo: phone namespace \(demo.lab.clientNamespace), server \(demo.lab.serverNamespace); Ctrl-C ends the demo and removes both\n")
            return try MonitorCommand.run(monitor, shouldStop: { stop.isStopped })
        }
        return try DashboardCommand.run(monitor, extras: extras(for: demo), enterNamespace: false, stop: stop, record: record)
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
            return StatusBar.Status(text: "receiver: " + verdict, short: verdict, good: r.intact)
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

    static func megabits(_ scan: inout ArgumentScanner, _ flag: String) throws -> UInt64 {
        let v = try scan.value(for: flag)
        guard let m = Double(v), m >= 0.1, m <= 10_000 else { throw MPTopError.usage("\(flag) takes Mbit/s from 0.1 to 10000, not '\(v)'") }
        return UInt64(m * 1_000_000)
    }
}
