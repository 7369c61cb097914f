import LabKit
import MPTCPKit
#if canImport(Glibc)
import Glibc
#endif

/// `mptop demo`: builds a phone/server lab (wifi0 + cell0), streams real MPTCP traffic through
/// it with the built-in generator, and shows the phone's namespace live until Ctrl-C. Everything
/// it created is removed on exit, Ctrl-C, SIGTERM and errors; `--cleanup` removes what a killed
/// run left behind.
enum DemoCommand {
    static let usage = """
    usage: mptop demo [--interval SECS] [--json] [--count N] [--wifi-rate MBIT] [--cell-rate MBIT]
           mptop demo --cleanup

    Builds two network namespaces, a "phone" and a "server", joined by two paths named wifi0
    and cell0 (shaped with tc tbf, default 50 and 20 Mbit/s), gives the phone an MPTCP subflow
    endpoint on cell0, streams data from phone to server (every byte checked at the receiver),
    and shows the phone's MPTCP connection live. Ctrl-C stops it and removes the lab.
    Needs root. Nothing outside the two namespaces is touched.
    """

    static func run(_ args: [String]) throws -> Int32 {
        var monitor = MonitorOptions()
        var wifi: UInt64 = 50_000_000, cell: UInt64 = 20_000_000
        var scan = ArgumentScanner(args)
        while let w = scan.next() {
            switch w {
            case "--help", "-h": Console.out(usage + "\n"); return 0
            case "--cleanup":
                try requireRoot()
                Lab.cleanupStale()
                Console.out("removed the namespaces of demo and test runs that are no longer running\n")
                return 0
            case "--interval", "-i": monitor.interval = try scan.seconds(for: w)
            case "--count", "-c": monitor.count = try scan.count(for: w)
            case "--json", "-j": monitor.output = .json
            case "--wifi-rate": wifi = try megabits(&scan, w)
            case "--cell-rate": cell = try megabits(&scan, w)
            default: throw ArgumentScanner.unknown(w, in: "mptop demo")
            }
        }
        try requireRoot()
        if let reason = LabEnvironment.skipReason() { throw MPTopError.io("cannot build the demo lab: \(reason)") }
        Lab.cleanupStale()

        let stop = try StopSignal()
        stop.installSignalHandlers()
        let lab: Lab
        do { lab = try Lab(options: LabOptions(wifiRate: wifi, cellRate: cell)) } catch { throw MPTopError.io("\(error)") }
        defer { lab.close() }
        let binary = try MptopBinary.path()
        do { _ = try lab.startTraffic(mptop: binary) } catch { throw MPTopError.io("the demo's traffic: \(error)") }
        monitor.namespace = lab.clientNamespace
        Console.err("mptop demo: phone namespace \(lab.clientNamespace), server \(lab.serverNamespace); Ctrl-C ends the demo and removes both\n")
        let home = try NetworkNamespace.Saved()
        // Back home before the deferred teardown: it kills every process left in the lab.
        defer { try? home.restore() }
        return try MonitorCommand.run(monitor, shouldStop: { stop.isStopped })
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
