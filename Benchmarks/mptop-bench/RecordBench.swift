// The size and cost of a recording (`mptop-bench --record SECS`): `mptop record` at a 1 s
// interval on N connections for SECS seconds, idle (--hold) and each sending at --record-rate;
// prints bytes per connection-sample, the hour at that size extrapolated, and the CPU time per
// sample (sampling included, and the part spent encoding and writing).
import Foundation
import LabKit
import MPTCPKit
#if canImport(Glibc)
import Glibc
#endif

func benchRecording(connections n: Int, seconds: Int, rate: String, mptop: String) throws {
    for (label, send) in [("idle (--hold)", ["--hold"]), ("sending \(rate)bit/s each", ["--rate", rate])] {
        let lab = try Lab(options: LabOptions(wifiRate: nil, cellRate: nil, subflowEndpoint: true, subflowLimit: 2))
        defer { lab.close() }
        let traffic = try lab.startTraffic(mptop: mptop, connections: n, sendArguments: send, connectTimeout: 300)
        defer {
            _ = traffic.sender.stop(timeout: 10)
            _ = traffic.server.stop(timeout: 10)
        }
        let home = try NetworkNamespace.Saved()
        try NetworkNamespace.enter(lab.clientNamespace)
        let sampler = try Sampler(options: .init(processes: false))
        let deadline = now() + 300_000_000_000
        var seen = 0
        while now() < deadline {
            seen = try sampler.sampleWithoutRates().subflowCount
            if seen >= 2 * n { break }
            usleep(500_000)
        }
        try home.restore()
        guard seen >= 2 * n else { fail("only \(seen) of \(2 * n) subflows came up") }
        sleep(3)

        let path = NSTemporaryDirectory() + "mptop-bench-\(getpid())-\(n).mptrec"
        unlink(path)
        defer { unlink(path) }
        var before = rusage(), after = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &before)
        let run = try ToolRunner.run(mptop, ["record", path, "--duration", "\(seconds)", "--interval", "1", "--netns", lab.clientNamespace],
                                     timeout: Double(seconds) + 120)
        getrusage(RUSAGE_CHILDREN.rawValue, &after)
        guard run.status == 0 else { fail("mptop record failed: \(run.stderr)") }
        let cpu = Double(after.ru_utime.tv_sec - before.ru_utime.tv_sec + after.ru_stime.tv_sec - before.ru_stime.tv_sec)
            + Double(after.ru_utime.tv_usec - before.ru_utime.tv_usec + after.ru_stime.tv_usec - before.ru_stime.tv_usec) / 1e6
        let reader = try RecordingReader(path: path)
        var samples = 0, connectionSamples = 0
        while let s = try reader.next() {
            samples += 1
            connectionSamples += s.snapshot.connections.count
        }
        var info = stat()
        stat(path, &info)
        let size = Double(info.st_size)
        let perConnection = size / Double(max(1, connectionSamples))
        let hour = perConnection * Double(n) * 3600 / 1e6
        print("""
        \(n) connections, \(label), \(samples) samples at 1 s:
          file                               \(Units.fixed(size / 1e6, decimals: 2)) MB
          per connection-sample              \(Units.fixed(perConnection, decimals: 1)) bytes
          an hour of \(n) at 1 s              \(Units.fixed(hour, decimals: 1)) MB
          CPU per sample (sampling included) \(ms(cpu * 1000 / Double(max(1, samples))))
          mptop record says                  \(run.stderr.split(separator: "\n").last ?? "")
        """)
    }
}
