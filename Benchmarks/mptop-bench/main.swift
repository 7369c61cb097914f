// mptop-bench: the cost of one full sample (dump, decode, join) at N MPTCP connections with two
// subflows each, next to a bare netlink dump of the same sockets and to `ss -Mi` + `ss -tni`.
//
//   swift build -c release --product mptop-bench && sudo .build/release/mptop-bench --help
//   (every scenario and option: BenchOptions.swift)
//
// Each size also runs whole `mptop` processes (WholeProcess.swift): --once --json and the
// --once table, with and without owning processes, and a ten-sample --json stream, round by
// round (--process-rounds, default 5) with the bare dump and `ss -Mi; ss -tni`, with peak RSS.
// --writers times only the output writers on a synthetic snapshot (WriterBench.swift).
//
// With --exporter, it also times a Prometheus scrape at the same size: in process (collection +
// exposition text, what one GET /metrics computes) and whole, with curl against a running
// mptop-exporter in the lab's namespace, round by round with the bare dump (ExporterBench.swift).
//
// With --dashboard, it also runs the real dashboard (in tmux, 200x50, 1 s refresh) on the same
// connections for SECS seconds after a warm-up (5 s; 30 s from 5,000 connections) and reports the
// share of a core it used (and its CPU time per refresh next to a bare dump), its VmRSS over those
// seconds, and times one frame. --process-rounds 0 leaves out the whole-process runs.
// With --churn, it instead opens and closes N MPTCP connections a second (default 500) for SECS
// seconds under the dashboard and `mptop --json --interval 0.5` (Churn.swift).
//
// Needs root (it builds a lab of two network namespaces; no traffic leaves them).
import Foundation
import Dashboard
import LabKit
import MPTCPKit
import Output
#if canImport(Glibc)
import Glibc
#endif

func fail(_ message: String) -> Never {
    Console.err("mptop-bench: \(message)\n")
    exit(1)
}

func now() -> UInt64 { Clock.system.monotonicNanos() }

func milliseconds(_ f: () throws -> Void) rethrows -> Double {
    let t = now()
    try f()
    return Double(now() - t) / 1e6
}

/// CPU time (user + system) of this process's threads so far, in milliseconds.
func processCPUMilliseconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func ms(_ t: timeval) -> Double { Double(t.tv_sec) * 1e3 + Double(t.tv_usec) / 1e3 }
    return ms(usage.ru_utime) + ms(usage.ru_stime)
}

/// Wall and CPU milliseconds of `f` (CPU of every thread of this process: a sample's helper
/// threads count).
func wallAndCPU(_ f: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
    let c = processCPUMilliseconds()
    let wall = try milliseconds(f)
    return (wall, processCPUMilliseconds() - c)
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.isEmpty ? 0 : s[s.count / 2]
}

func ms(_ v: Double) -> String { Units.fixed(v, decimals: 1) + " ms" }

func mib(_ kib: Int) -> String { Units.fixed(Double(kib) / 1024, decimals: 1) + " MiB" }

/// The dumps a sample made: the MPTCP and TCP families (`Sampler.mptcpDumpFamilies`,
/// `Sampler.tcpDumpFamilies`); fewer than the four `ss` makes when there can be no IPv6 socket.
struct DumpsMade {
    var mptcp: [IPAddress.Family] = [.ipv4, .ipv6]
    var tcp: [IPAddress.Family] = [.ipv4, .ipv6]

    init() {}
    init(_ sampler: Sampler) {
        mptcp = sampler.mptcpDumpFamilies
        tcp = sampler.tcpDumpFamilies
    }

    var count: Int { mptcp.count + tcp.count }
    var fewer: Bool { count < 4 }
    /// "the 2 dumps mptop makes here (no IPv6 MPTCP dump, no IPv6 TCP dump)".
    var described: String {
        let missing = (mptcp.contains(.ipv6) ? [] : ["no IPv6 MPTCP dump"]) + (tcp.contains(.ipv6) ? [] : ["no IPv6 TCP dump"])
        return "the \(count) dumps mptop makes here" + (missing.isEmpty ? "" : " (\(missing.joined(separator: ", ")))")
    }
}

/// Bare cost of the kernel side: the dumps, bytes received and counted, nothing decoded.
/// `tcp` is the TCP dump a sample makes (the busy host's first pass asks for no attributes).
/// By default the four dumps `ss -Mi` and `ss -tni` make (MPTCP and TCP, IPv4 and IPv6): the
/// yardstick. `made` leaves dumps out as a sample does when there can be no IPv6 socket of a
/// kind (`DumpsMade`): the floor of the dumps mptop really makes.
func rawDump(_ socket: NetlinkSocket, tcp: (IPAddress.Family) -> NetlinkRequestBuilder = SockDiagRequest.tcp,
             made: DumpsMade = DumpsMade()) throws -> Int {
    var bytes = 0
    for family in [IPAddress.Family.ipv4, .ipv6] {
        if made.mptcp.contains(family) { try socket.dump(SockDiagRequest.mptcp(family: family)) { bytes += 16 + $0.payload.count } }
        if made.tcp.contains(family) { try socket.dump(tcp(family)) { bytes += 16 + $0.payload.count } }
    }
    return bytes
}

/// A lab with `n` idle MPTCP connections (two subflows each, all up), `body` run inside its
/// client namespace; the namespace is left and the lab torn down afterwards.
func withIdleLab<T>(connections n: Int, mptop: String, _ body: (Lab, Sampler) throws -> T) throws -> T {
    let lab = try Lab(options: LabOptions(wifiRate: nil, cellRate: nil, subflowEndpoint: true, subflowLimit: 2))
    defer { lab.close() }
    let traffic = try lab.holdIdleConnections(mptop: mptop, n)
    defer { Lab.stop(traffic) }
    let home = try NetworkNamespace.Saved()
    try NetworkNamespace.enter(lab.clientNamespace)
    defer { try? home.restore() }
    let sampler = try Sampler(options: .init(processes: false))
    _ = try waitForSubflows(connections: n, sampler)
    return try body(lab, sampler)
}

/// Runs a program to completion with stdout/stderr to /dev/null; returns its peak RSS in KiB
/// and the CPU time (user + system) of all its threads.
func runMeasured(_ path: String, _ args: [String]) -> (status: Int32, maxRSSKiB: Int, cpuMilliseconds: Double) {
    var pid: pid_t = 0
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv = ([path] + args).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    guard posix_spawn(&pid, path, &actions, nil, argv, environ) == 0 else { return (-1, 0, 0) }
    posix_spawn_file_actions_destroy(&actions)
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
    func ms(_ t: timeval) -> Double { Double(t.tv_sec) * 1e3 + Double(t.tv_usec) / 1e3 }
    return ((status >> 8) & 0xff, Int(usage.ru_maxrss), ms(usage.ru_utime) + ms(usage.ru_stime))
}

/// CPU time (user + system) of a process so far, in seconds, from /proc/PID/stat.
func cpuSeconds(of pid: Int32) -> Double? {
    guard let stat = (try? TextFile.read("/proc/\(pid)/stat", limit: 4096)) ?? nil,
          let close = stat.lastIndex(of: ")") else { return nil }
    // Fields after the command name: state is field 3; utime and stime are fields 14 and 15.
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
    return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
}

/// What the dashboard used after its warm-up: the share of one core, and its VmRSS once a second.
struct DashboardUse {
    var cpuPercent: Double
    var memory: MemoryTrace
    /// CPU time per 1 s refresh.
    var millisecondsPerRefresh: Double { cpuPercent * 10 }
}

/// Runs the dashboard at a real terminal (tmux) on the lab for `seconds` after a warm-up.
func dashboardUse(namespace: String, mptop: String, seconds: Int, warmUp: Int) throws -> DashboardUse {
    guard let tmux = ToolRunner.locate("tmux") else { fail("--dashboard needs tmux (apt install tmux)") }
    let session = "mptop-bench-\(getpid())"
    // ToolRunner, not Foundation's Process: Process never noticed the exit of a tmux client
    // that started the tmux server, and waited forever.
    _ = try ToolRunner.run(tmux, ["new-session", "-d", "-s", session, "-x", "200", "-y", "50",
                                  "exec env TERM=xterm-256color LANG=C.UTF-8 \(mptop) --netns \(namespace) --interval 1"])
    defer { _ = try? ToolRunner.run(tmux, ["kill-session", "-t", session]) }
    let pane = try ToolRunner.run(tmux, ["list-panes", "-t", session, "-F", "#{pane_pid}"]).stdout
    guard let pid = Int32(pane.trimmingCharacters(in: .whitespacesAndNewlines)) else { fail("no pane pid: \(pane)") }
    sleep(UInt32(warmUp))  // the first samples and the cold owner scan are start-up, not steady drawing
    guard let before = cpuSeconds(of: pid) else { fail("the dashboard exited early") }
    var memory = MemoryTrace(name: "dashboard", pid: pid)
    let t0 = now()
    memory.sample()
    for _ in 0..<seconds {
        sleep(1)
        memory.sample()
    }
    guard let after = cpuSeconds(of: pid) else { fail("the dashboard exited during the measurement") }
    return DashboardUse(cpuPercent: (after - before) / (Double(now() - t0) / 1e9) * 100, memory: memory)
}

/// Waits until the lab's `n` connections have both subflows; returns how many subflows came up.
/// At 20,000 connections a few joins can be lost (the kernel's path manager tries a subflow
/// once): when the count has not grown for 15 s and at most 1 in 200 is missing, the run goes
/// on and says so, with the join counters of the client namespace; fewer, or 2 minutes, fail.
func waitForSubflows(connections n: Int, _ sampler: Sampler) throws -> Int {
    let deadline = now() + 120_000_000_000
    var seen = 0, grew = now()
    while now() < deadline {
        let s = try sampler.sampleWithoutRates()
        if s.subflowCount > seen { grew = now() }
        seen = s.subflowCount
        if s.connections.count >= n && seen >= 2 * n { return seen }
        if s.connections.count >= n && seen * 200 >= 2 * n * 199 && now() - grew > 15_000_000_000 { break }
        usleep(200_000)
    }
    guard seen * 200 >= 2 * n * 199 else { fail("only \(seen) of \(2 * n) subflows came up") }
    let joins = (try? MPTCPCounters.read())?.entries.filter { $0.name.hasPrefix("MPJoin") && $0.value > 0 }
        .map { "\($0.name) \($0.value)" }.joined(separator: ", ") ?? "no counters"
    Console.err("mptop-bench: \(seen) of \(2 * n) subflows came up (\(2 * n - seen) joins lost; client's \(joins))\n")
    return seen
}

/// The cost of drawing one frame (view model to cell grid) of a real sample, 200x50.
func frameMilliseconds(_ sampler: Sampler, rounds: Int) throws -> Double {
    var state = DashboardState(header: HeaderInfo(host: "bench", namespace: nil, pathManager: .kernel, scheduler: "default", canAct: true),
                               width: 200, height: 50)
    state.apply(try sampler.sample())
    state.apply(try sampler.sample())
    return median(try (0..<rounds).map { _ in
        try milliseconds {
            state.apply(try sampler.sample())
            _ = DashboardRenderer.render(state, theme: .basic)
        } - milliseconds { _ = try sampler.sample() }
    })
}

func bench(connections n: Int, rounds: Int, processRounds: Int, mptop: String, ss: String, dashboardSeconds: Int?, exporter: ExporterTools?) throws {
    let lab = try Lab(options: LabOptions(wifiRate: nil, cellRate: nil, subflowEndpoint: true, subflowLimit: 2))
    defer { lab.close() }
    let traffic = try lab.holdIdleConnections(mptop: mptop, n)
    defer { Lab.stop(traffic) }

    // Measure from inside the client namespace, as `mptop --netns` does; go home before teardown.
    let home = try NetworkNamespace.Saved()
    try NetworkNamespace.enter(lab.clientNamespace)
    defer { try? home.restore() }
    let sampler = try Sampler(options: .init(processes: false))
    let seen = try waitForSubflows(connections: n, sampler)

    let raw = try NetlinkSocket(.sockDiag)
    var payload = 0
    func timed(_ body: () throws -> Void) rethrows -> [Double] {
        try body()
        return try (0..<rounds).map { _ in try milliseconds(body) }
    }
    // Let the generator finish accepting and settle: on 2 cores its start-up would be measured too.
    sleep(3)
    // Alternate the bare dump and the samples round by round, so drift hits them alike.
    let withProcesses = try Sampler(options: .init(processes: true))
    let cold = try milliseconds { _ = try withProcesses.sampleWithoutRates() }
    // The first sample with owners (a cold owner scan, each with a fresh process table), as mptop
    // takes it (the scan beside the TCP dump) and on one thread, three of each, alternated.
    var coldOneThreadOptions = Sampler.Options(processes: true)
    coldOneThreadOptions.concurrent = false
    var colds: [Double] = [], coldsOneThread: [Double] = []
    for _ in 0..<3 {
        let alone = try Sampler(options: coldOneThreadOptions)
        coldsOneThread.append(try milliseconds { _ = try alone.sampleWithoutRates() })
        let overlapped = try Sampler(options: .init(processes: true))
        colds.append(try milliseconds { _ = try overlapped.sampleWithoutRates() })
    }
    // The same sample on one thread (dumps received between decoding, owners looked up after):
    // what the sample cost before it overlapped them, measured in the same rounds.
    var oneThread = Sampler.Options(processes: false)
    oneThread.concurrent = false
    let sequential = try Sampler(options: oneThread)
    _ = try rawDump(raw)
    _ = try sampler.sampleWithoutRates()
    _ = try sequential.sampleWithoutRates()
    var rawTimes: [Double] = [], sampleTimes: [Double] = [], warm: [Double] = []
    var rawCPU: [Double] = [], sampleCPU: [Double] = [], sequentialTimes: [Double] = [], sequentialCPU: [Double] = []
    var madeTimes: [Double] = [], madeCPU: [Double] = []
    for _ in 0..<rounds {
        let r = try wallAndCPU { payload = try rawDump(raw) }
        rawTimes.append(r.wall)
        rawCPU.append(r.cpu)
        let c = try wallAndCPU { _ = try sampler.sampleWithoutRates() }
        sampleTimes.append(c.wall)
        sampleCPU.append(c.cpu)
        // The dumps that sample made (a sample while connections still come up makes all four).
        let dumps = DumpsMade(sampler)
        if dumps.fewer {
            let m = try wallAndCPU { _ = try rawDump(raw, made: dumps) }
            madeTimes.append(m.wall)
            madeCPU.append(m.cpu)
        }
        let q = try wallAndCPU { _ = try sequential.sampleWithoutRates() }
        sequentialTimes.append(q.wall)
        sequentialCPU.append(q.cpu)
        warm.append(try milliseconds { _ = try withProcesses.sampleWithoutRates() })
    }
    // ss runs in its own loop: interleaving its processes with the samples would charge
    // mptop for the cache damage they do.
    let ssTimes = timed {
        _ = runMeasured(ss, ["-N", lab.clientNamespace, "-Mi"])
        _ = runMeasured(ss, ["-N", lab.clientNamespace, "-tni"])
    }
    let once = runMeasured(mptop, ["--once", "--json", "--interval", "0", "--netns", lab.clientNamespace])

    let r = median(rawTimes), s = median(sampleTimes), x = median(ssTimes)
    let made = DumpsMade(sampler)
    // The dumps mptop made, when fewer than the four (no IPv6 socket): a second yardstick.
    let madeLine = madeTimes.isEmpty ? "" : "  \(made.described)    \(ms(median(madeTimes))), CPU \(ms(median(madeCPU)))"
        + "; sample \(Units.fixed(s / max(median(madeTimes), 0.001), decimals: 2))x,"
        + " CPU \(Units.fixed(median(sampleCPU) / max(median(madeCPU), 0.001), decimals: 2))x\n"
    print("""
    \(n) connections, \(seen) subflows (median of \(rounds)):
      bare netlink dump (4 dumps, no decoding)   \(ms(r))   \(payload / 1024) KiB, \(payload / n) B per connection
    \(madeLine)  mptop full sample (dump, decode, join)     \(ms(s))   \(Units.fixed(s / max(r, 0.001), decimals: 2))x the bare dump
        CPU time: bare dump \(ms(median(rawCPU))), sample \(ms(median(sampleCPU))) (\(Units.fixed(median(sampleCPU) / max(median(rawCPU), 0.001), decimals: 2))x)
      same sample on one thread                  \(ms(median(sequentialTimes)))   \(Units.fixed(median(sequentialTimes) / max(r, 0.001), decimals: 2))x the bare dump, CPU \(ms(median(sequentialCPU)))
      mptop sample with process lookup           \(ms(median(warm))) (first, cold owner scan: \(ms(cold)))
        first sample with owners, median of 3      \(ms(median(colds))), on one thread \(ms(median(coldsOneThread)))
      ss -Mi + ss -tni                           \(ms(x))   mptop is \(Units.fixed(x / max(s, 0.001), decimals: 1))x faster
      peak RSS of 'mptop --once --json'          \((peakRSSKiB(mptop, ["--once", "--json", "--interval", "0", "--netns", lab.clientNamespace]) ?? once.maxRSSKiB) / 1024) MiB (exit \(once.status))
    """)
    if processRounds > 0 { try benchWholeProcess(namespace: lab.clientNamespace, mptop: mptop, ss: ss, raw: raw, rounds: processRounds, made: made) }
    if let exporter {
        try benchExporter(lab: lab, tools: exporter, raw: raw, sampler: sampler, rounds: rounds, ssMilliseconds: x)
    }
    if let seconds = dashboardSeconds {
        let frame = try frameMilliseconds(sampler, rounds: rounds)
        // A minute to warm up at 10,000 connections: the first frames find every owner (cold owner scan).
        let use = try dashboardUse(namespace: lab.clientNamespace, mptop: mptop, seconds: seconds, warmUp: n >= 5000 ? 30 : 5)
        let bare = median(try (0..<rounds).map { _ in try milliseconds { _ = try rawDump(raw) } })
        let madeBare = made.fewer ? median(try (0..<rounds).map { _ in try milliseconds { _ = try rawDump(raw, made: made) } }) : nil
        let m = use.memory
        print("""
          dashboard frame (view model + render, 200x50)  \(ms(frame))
          dashboard at 1 s refresh, 200x50, \(seconds) s        \(Units.fixed(use.cpuPercent, decimals: 2))% of one core (sampling included)
            = \(ms(use.millisecondsPerRefresh)) CPU per refresh, \(Units.fixed(use.millisecondsPerRefresh / max(bare, 0.001), decimals: 2))x one bare dump (\(ms(bare)) now)\(madeBare.map { ", \(Units.fixed(use.millisecondsPerRefresh / max($0, 0.001), decimals: 2))x the \(made.count) dumps it makes (\(ms($0)))" } ?? "")
            VmRSS after warm-up \(mib(m.start)), peak \(mib(m.peak)), end \(mib(m.end)), growth \(mib(m.end - m.start))\(m.exited ? ", EXITED" : "")
            VmRSS every 10 s: \(m.trace)
        """)
    }
}

// A helper of --busy-host, in the lab's client namespace.
if CommandLine.arguments.count == 5, CommandLine.arguments[1] == "--hold-plain-tcp", let n = Int(CommandLine.arguments[2]),
   CommandLine.arguments[3] == "--port", let port = UInt16(CommandLine.arguments[4]) {
    holdPlainTCP(sockets: n, port: port)
}
let options = BenchOptions.parseOrExit()
if options.writers {
    for n in options.sizes(or: [10_000]) { benchWriters(connections: n, rounds: options.rounds) }
    exit(0)
}
if options.owners {
    for n in options.sizes(or: [10_000]) { benchOwnerScan(sockets: n, rounds: options.rounds) }
    exit(0)
}
if let reason = LabEnvironment.skipReason() { fail("cannot build a lab here: \(reason)") }
guard let ss = ShellCommand.locate("ss") else { fail("ss not found (install iproute2)") }
let mptop: String
do { mptop = try MptopBinary.path() } catch { fail("\(error)") }
Lab.cleanupStale()
if let plain = options.busyHost {
    do {
        for n in options.sizes(or: [1000]) {
            try benchBusyHost(connections: n, plainSockets: plain, rounds: options.rounds, mptop: mptop, ss: ss)
        }
        exit(0)
    } catch { fail("\(error)") }
}
if options.scaling {
    do {
        try benchScaling(sizes: options.sizes(or: [1000, 5000, 10_000, 20_000]), rounds: options.rounds, mptop: mptop)
        exit(0)
    } catch { fail("\(error)") }
}
if let seconds = options.churnSeconds {
    do {
        exit(try churn(seconds: seconds, rate: options.churnRate, mptop: mptop, ss: ss) ? 0 : 1)
    } catch { fail("\(error)") }
}
if let seconds = options.holdSeconds {
    // The lab of the first size held open, for `perf` on `mptop --netns NS` by hand. Ctrl-C or
    // SIGTERM (also while the lab is being built) ends the hold and removes the lab; a run
    // killed with SIGKILL leaves its namespaces to the next run's `Lab.cleanupStale`.
    do {
        let stop = try StopSignal()
        stop.installSignalHandlers()
        try withIdleLab(connections: options.sizes(or: [10_000])[0], mptop: mptop) { lab, _ in
            print("lab ready: mptop --netns \(lab.clientNamespace) (held for \(seconds) s; Ctrl-C ends it)")
            fflush(nil)
            var fds = [pollfd(fd: stop.readEnd, events: Int16(POLLIN), revents: 0)]
            _ = try? Poll.wait(&fds, milliseconds: Int32(clamping: seconds * 1000))
        }
        exit(0)
    } catch { fail("\(error)") }
}
if let seconds = options.recordSeconds {
    for n in options.sizes(or: [1000]) {
        do { try benchRecording(connections: n, seconds: seconds, rate: options.recordRate, mptop: mptop) } catch { fail("\(error)") }
    }
    exit(0)
}
let exporterTools = options.exporter ? ExporterTools.locate(nextTo: mptop) : nil
for n in options.sizes(or: [1000, 5000]) {
    do {
        try bench(connections: n, rounds: options.rounds, processRounds: options.processRounds, mptop: mptop, ss: ss, dashboardSeconds: options.dashboardSeconds,
                  exporter: exporterTools)
    } catch { fail("\(error)") }
}
