// The churn scenario (`mptop-bench --churn SECS`): MPTCP connections opening and closing at a
// steady rate under both long-running mptop front ends, the dashboard (tmux) and
// `mptop --json --interval 0.5`. Passes when neither crashed, neither shows a connection that
// no longer exists once the churn has stopped (checked against `ss -M`), and the resident
// memory of neither grows through the second half of the churn or after it.
import Foundation
import LabKit
import MPTCPKit
#if canImport(Glibc)
import Glibc
#endif

/// Resident memory of a process in KiB (VmRSS in /proc/PID/status); nil once it has exited.
func residentKiB(of pid: Int32) -> Int? {
    guard let status = (try? TextFile.read("/proc/\(pid)/status")) ?? nil else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
    }
    return nil
}

/// VmRSS samples of one process, one a second: before, during and after the churn.
struct MemoryTrace {
    let name: String
    let pid: Int32
    private(set) var samples: [Int] = []
    private(set) var exited = false
    /// Index of the sample taken halfway through the churn, and of its last one.
    var middle = 0, churnEnd = 0

    init(name: String, pid: Int32) {
        self.name = name
        self.pid = pid
    }

    mutating func sample() {
        if let kib = residentKiB(of: pid) { samples.append(kib) } else { exited = true }
    }

    var start: Int { samples.first ?? 0 }
    var peak: Int { samples.max() ?? 0 }
    var end: Int { samples.last ?? 0 }
    private func at(_ i: Int) -> Int { samples.isEmpty ? 0 : samples[min(i, samples.count - 1)] }
    /// Flat: caches of what closed (graph history, closed rows) are bounded, so memory may rise
    /// while they fill, but not through the second half of the churn, nor after it (within 5%,
    /// at least 1 MiB): a leak keeps growing with every connection.
    var flat: Bool {
        let allowance = max(at(middle) / 20, 1024)
        return !exited && at(churnEnd) <= at(middle) + allowance && end <= at(churnEnd) + allowance
    }

    var summary: String {
        "\(name) RSS start \(mib(start)), halfway \(mib(at(middle))), end of churn \(mib(at(churnEnd))), "
            + "peak \(mib(peak)), after \(mib(end))" + (exited ? ", EXITED" : flat ? ": flat" : ": GREW")
    }

    /// Every tenth sample, for the record.
    var trace: String { stride(from: 0, to: samples.count, by: 10).map { mib(samples[$0]) }.joined(separator: " ") }
}

/// "LOCAL REMOTE" of each MPTCP connection `ss -M` lists in `namespace`.
func ssConnections(_ ss: String, namespace: String) throws -> Set<String> {
    let out = try ToolRunner.run(ss, ["-N", namespace, "-MnH"]).stdout
    return Set(out.split(separator: "\n").compactMap { line in
        let f = line.split(separator: " ")
        return f.count >= 5 ? "\(f[3]) \(f[4])" : nil
    })
}

/// "LOCAL REMOTE" of each connection in one line of `mptop --json`.
func jsonConnections(_ line: Substring) -> Set<String>? {
    guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
          let connections = object["connections"] as? [[String: Any]] else { return nil }
    return Set(connections.compactMap { c in
        guard let local = c["local"] as? String, let remote = c["remote"] as? String else { return nil }
        return "\(local) \(remote)"
    })
}

/// The last complete line of a file that another process is appending to.
func lastCompleteLine(of path: String) -> Substring? {
    guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
    defer { try? handle.close() }
    let size = (try? handle.seekToEnd()) ?? 0
    try? handle.seek(toOffset: size > 8 << 20 ? size - (8 << 20) : 0)
    guard let data = try? handle.readToEnd(), let text = String(data: data, encoding: .utf8),
          let end = text.lastIndex(of: "\n") else { return nil }
    return text[..<end].split(separator: "\n").last
}

/// How many connections each line of `mptop --json` held (one `subflows_total` per connection).
func connectionCounts(in path: String) -> [Int] {
    guard let data = FileManager.default.contents(atPath: path) else { return [] }
    let key = Array(#""subflows_total":"#.utf8)
    var counts: [Int] = [], current = 0, matched = 0
    for byte in data {
        if byte == UInt8(ascii: "\n") {
            counts.append(current)
            current = 0
            matched = 0
            continue
        }
        matched = byte == key[matched] ? matched + 1 : (byte == key[0] ? 1 : 0)
        if matched == key.count {
            current += 1
            matched = 0
        }
    }
    return counts
}

func churn(seconds: Int, rate: Double, mptop: String, ss: String) throws -> Bool {
    guard let tmux = ToolRunner.locate("tmux") else { fail("--churn needs tmux (apt install tmux)") }
    let lab = try Lab(options: LabOptions(wifiRate: nil, cellRate: nil, subflowEndpoint: true, subflowLimit: 2))
    defer { lab.close() }
    // Every closed connection leaves its subflows in TIME_WAIT on the client for 60 s: at 500
    // a second the default 28,000 ephemeral ports would run out within the minute.
    try lab.run(in: lab.clientNamespace, "sysctl", ["-qw", "net.ipv4.ip_local_port_range=1024 65535"])
    try lab.run(in: lab.clientNamespace, "sysctl", ["-qw", "net.ipv4.tcp_tw_reuse=1"])
    // Connections that live through the churn: what the final views must still show.
    let held = 20
    let traffic = try lab.startTraffic(mptop: mptop, connections: held, sendArguments: ["--hold"])

    let session = "mptop-bench-churn-\(getpid())"
    let jsonPath = NSTemporaryDirectory() + "mptop-bench-churn-\(getpid()).jsonl"
    let keepClosed = 5
    defer {
        _ = try? ToolRunner.run(tmux, ["kill-session", "-t", session])
        unlink(jsonPath)
    }
    _ = try ToolRunner.run(tmux, ["new-session", "-d", "-s", session, "-x", "200", "-y", "50",
                                  "exec env TERM=xterm-256color LANG=C.UTF-8 \(mptop) --netns \(lab.clientNamespace) --interval 1 --keep-closed \(keepClosed)"])
    _ = try ToolRunner.run(tmux, ["new-window", "-d", "-t", session,
                                  "exec \(mptop) --json --interval 0.5 --netns \(lab.clientNamespace) > \(jsonPath) 2>&1"])
    let panes = try ToolRunner.run(tmux, ["list-panes", "-s", "-t", session, "-F", "#{pane_pid}"]).stdout
        .split(separator: "\n").compactMap { Int32($0) }
    guard panes.count == 2 else { fail("expected two tmux panes, got \(panes)") }
    var memory = [MemoryTrace(name: "dashboard", pid: panes[0]), MemoryTrace(name: "mptop --json", pid: panes[1])]
    func sampleMemory() { for i in memory.indices { memory[i].sample() } }

    sleep(5) // start-up (first samples, the cold owner scan) is not what is measured
    sampleMemory()
    let home = try NetworkNamespace.Saved()
    try NetworkNamespace.enter(lab.clientNamespace)
    let target = try TrafficEndpoint(parsing: "\(LabAddress.serviceIPv4):5201")
    let report: TrafficChurnReport
    do {
        defer { try? home.restore() }
        var ticks = 0
        report = try TrafficChurn(options: TrafficChurnOptions(target: target, rate: rate, seconds: Double(seconds)))
            .run(tickEvery: 1) {
                sampleMemory()
                ticks += 1
                if ticks == seconds / 2 { for i in memory.indices { memory[i].middle = memory[i].samples.count - 1 } }
            }
    }
    sampleMemory()
    for i in memory.indices { memory[i].churnEnd = memory[i].samples.count - 1 }
    // Let the closed connections leave the dashboard (--keep-closed) and both views refresh.
    for _ in 0..<(keepClosed + 5) {
        sleep(1)
        sampleMemory()
    }

    let before = try ssConnections(ss, namespace: lab.clientNamespace)
    sleep(2)
    let json = lastCompleteLine(of: jsonPath).flatMap(jsonConnections)
    let after = try ssConnections(ss, namespace: lab.clientNamespace)
    let screen = try ToolRunner.run(tmux, ["capture-pane", "-p", "-t", "\(session):0"]).stdout.split(separator: "\n")
    let header = screen.first { $0.contains(" connection") }
    let headerCount = header.flatMap { $0.split(separator: " ").first.flatMap { Int($0) } }
    // Connection rows: an address arrow, not a subflow's tree branch nor the column titles.
    let rows = screen.filter { $0.contains("→") && !$0.contains("├─") && !$0.contains("└─") && !$0.contains("LOCAL") }.count

    _ = traffic.sender.stop(timeout: 10)
    _ = traffic.server.stop(timeout: 10)
    let serverLines = traffic.server.lines
    let damaged = serverLines.filter { $0.contains(#""intact":false"#) }.count
    let served = serverLines.filter { $0.contains(#""event":"closed""#) }.count

    // Two samples a second: every 20th line is one every 10 s.
    let counts = connectionCounts(in: jsonPath)
    let stable = before == after
    let jsonMatches = json == after
    let dashboardMatches = headerCount == after.count && rows == after.count
    let rateMet = report.openedPerSecond >= rate * 0.95 && report.failed == 0
    print("""
    churn: \(report.opened) MPTCP connections opened and closed in \(Units.fixed(report.elapsed, decimals: 1)) s \
    (\(Units.fixed(report.openedPerSecond, decimals: 0))/s, at most \(report.peakOpen) open at once, \
    \(report.failed) failed\(report.firstError.map { ": \($0)" } ?? ""), \(report.incomplete) closed before all bytes went out), \(held) held throughout
      server: \(served) connections closed, \(damaged) with damaged bytes
      after the churn, ss -M: \(after.count) connections\(stable ? "" : " (changed from \(before.count) while checking)")
      mptop --json, last line: \(json.map { "\($0.count) connections" } ?? "none")\(jsonMatches ? ", the same as ss" : ", NOT the same as ss")
      dashboard: header \(headerCount.map(String.init) ?? "?") connections, \(rows) rows\(dashboardMatches ? ", the same as ss" : ", NOT the same as ss")
      \(memory[0].summary)
      \(memory[1].summary)
      RSS every 10 s: dashboard \(memory[0].trace); mptop --json \(memory[1].trace)
      connections in mptop --json, at most \(counts.max() ?? 0); every 10 s: \(stride(from: 0, to: counts.count, by: 20).map { String(counts[$0]) }.joined(separator: " "))
    """)
    if !jsonMatches, let json {
        print("  only in mptop --json: \(json.subtracting(after).sorted().prefix(5)); only in ss: \(after.subtracting(json).sorted().prefix(5))")
    }
    return rateMet && damaged == 0 && stable && jsonMatches && dashboardMatches && memory.allSatisfy(\.flat)
}
