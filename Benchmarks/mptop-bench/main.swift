// mptop-bench: the cost of one full sample (dump, decode, join) at N MPTCP connections with two
// subflows each, next to a bare netlink dump of the same sockets and to `ss -Mi` + `ss -tni`.
//
//   swift run -c release mptop-bench [--connections 1000,5000] [--rounds 15]
//
// Needs root (it builds a lab of two network namespaces; no traffic leaves them).
import Foundation
import LabKit
import MPTCPKit
#if canImport(Glibc)
import Glibc
#endif

struct BenchOptions {
    var sizes = [1000, 5000]
    var rounds = 15

    static func parse(_ args: [String]) -> BenchOptions {
        var o = BenchOptions()
        var i = 0
        while i < args.count {
            let a = args[i]
            i += 1
            guard i < args.count || a == "--help" else { fail("\(a) needs a value") }
            switch a {
            case "--connections":
                o.sizes = args[i].split(separator: ",").compactMap { Int($0) }.filter { $0 > 0 }
                if o.sizes.isEmpty { fail("--connections takes numbers like 1000,5000") }
                i += 1
            case "--rounds":
                guard let r = Int(args[i]), r > 0 else { fail("--rounds takes a number above 0") }
                o.rounds = r
                i += 1
            case "--help":
                print("usage: mptop-bench [--connections 1000,5000] [--rounds 15]   (root)")
                exit(0)
            default:
                fail("unknown option '\(a)'")
            }
        }
        return o
    }
}

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

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.isEmpty ? 0 : s[s.count / 2]
}

func ms(_ v: Double) -> String { Units.fixed(v, decimals: 1) + " ms" }

/// Bare cost of the kernel side: the four dumps, bytes received and counted, nothing decoded.
func rawDump(_ socket: NetlinkSocket) throws -> Int {
    var bytes = 0
    for family in [IPAddress.Family.ipv4, .ipv6] {
        try socket.dump(SockDiagRequest.mptcp(family: family)) { bytes += 16 + $0.payload.count }
        try socket.dump(SockDiagRequest.tcp(family: family)) { bytes += 16 + $0.payload.count }
    }
    return bytes
}

/// Runs a program to completion with stdout/stderr to /dev/null; returns its peak RSS in KiB.
func runMeasured(_ path: String, _ args: [String]) -> (status: Int32, maxRSSKiB: Int) {
    var pid: pid_t = 0
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv = ([path] + args).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    guard posix_spawn(&pid, path, &actions, nil, argv, environ) == 0 else { return (-1, 0) }
    posix_spawn_file_actions_destroy(&actions)
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
    return ((status >> 8) & 0xff, Int(usage.ru_maxrss))
}

func bench(connections n: Int, rounds: Int, mptop: String, ss: String) throws {
    let lab = try Lab(options: LabOptions(wifiRate: nil, cellRate: nil, subflowEndpoint: true, subflowLimit: 2))
    defer { lab.close() }
    let traffic = try lab.startTraffic(mptop: mptop, connections: n, sendArguments: ["--hold"], connectTimeout: 300)

    // Measure from inside the client namespace, as `mptop --netns` does; go home before teardown.
    let home = try NetworkNamespace.Saved()
    try NetworkNamespace.enter(lab.clientNamespace)
    defer { try? home.restore() }
    let sampler = try Sampler(options: .init(processes: false))
    let deadline = now() + 120_000_000_000
    var seen = 0
    while now() < deadline {
        let s = try sampler.sampleWithoutRates()
        seen = s.subflowCount
        if s.connections.count >= n && seen >= 2 * n { break }
        usleep(200_000)
    }
    guard seen >= 2 * n else { fail("only \(seen) of \(2 * n) subflows came up") }

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
    _ = try rawDump(raw)
    _ = try sampler.sampleWithoutRates()
    var rawTimes: [Double] = [], sampleTimes: [Double] = [], warm: [Double] = []
    for _ in 0..<rounds {
        rawTimes.append(try milliseconds { payload = try rawDump(raw) })
        sampleTimes.append(try milliseconds { _ = try sampler.sampleWithoutRates() })
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
    print("""
    \(n) connections, \(seen) subflows (median of \(rounds)):
      bare netlink dump (4 dumps, no decoding)   \(ms(r))   \(payload / 1024) KiB, \(payload / n) B per connection
      mptop full sample (dump, decode, join)     \(ms(s))   \(Units.fixed(s / max(r, 0.001), decimals: 2))x the bare dump
      mptop sample with process lookup           \(ms(median(warm))) (first, cold /proc scan: \(ms(cold)))
      ss -Mi + ss -tni                           \(ms(x))   mptop is \(Units.fixed(x / max(s, 0.001), decimals: 1))x faster
      peak RSS of 'mptop --once --json'          \(once.maxRSSKiB / 1024) MiB (exit \(once.status))
    """)
    _ = traffic.sender.stop(timeout: 10)
    _ = traffic.server.stop(timeout: 10)
}

let options = BenchOptions.parse(Array(CommandLine.arguments.dropFirst()))
if let reason = LabEnvironment.skipReason() { fail("cannot build a lab here: \(reason)") }
guard let ss = ShellCommand.locate("ss") else { fail("ss not found (install iproute2)") }
let mptop: String
do { mptop = try MptopBinary.path() } catch { fail("\(error)") }
Lab.cleanupStale()
for n in options.sizes {
    do { try bench(connections: n, rounds: options.rounds, mptop: mptop, ss: ss) } catch { fail("\(error)") }
}
