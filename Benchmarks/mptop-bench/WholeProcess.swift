// The whole `mptop` process at N connections, as a user runs it, next to the bare dump and to
// `ss -Mi; ss -tni` timed in the same rounds: start-up, sampling, output and exit, with the
// output written to /dev/null. This is what the in-process sample above leaves out.
import Foundation
import LabKit
import MPTCPKit
#if canImport(Glibc)
import Glibc
#endif

/// One whole-process scenario: the arguments after `mptop --netns NS`.
struct ProcessScenario {
    let label: String
    let arguments: [String]
    /// What it is compared with: one bare dump, or ten for a ten-sample stream.
    let dumps: Int
}

let processScenarios = [
    ProcessScenario(label: "--once --json --interval 0", arguments: ["--once", "--json", "--interval", "0"], dumps: 1),
    ProcessScenario(label: "--once --json --interval 0 --no-processes",
                    arguments: ["--once", "--json", "--interval", "0", "--no-processes"], dumps: 1),
    ProcessScenario(label: "--once --interval 0 (table)", arguments: ["--once", "--interval", "0"], dumps: 1),
    ProcessScenario(label: "--once --interval 0 --no-processes (table)",
                    arguments: ["--once", "--interval", "0", "--no-processes"], dumps: 1),
    ProcessScenario(label: "--json --interval 0 --count 10", arguments: ["--json", "--interval", "0", "--count", "10"], dumps: 10),
]

/// Times every scenario as a whole process, round by round with the bare dump (one and ten in a
/// row) and the `ss` pair, so drift hits them alike; prints each with its ratios, its CPU time
/// (every thread's, from wait4: what the 2 shared cores of the build machine blur least) and
/// peak RSS. With `MPTOP_BASELINE=/path/to/an/older/mptop`, that binary runs each scenario too,
/// right after this one, so a change is compared in the same minutes.
/// `made`: the dumps mptop makes here; with fewer than the four, those dumps are timed too, as a
/// second yardstick.
func benchWholeProcess(namespace: String, mptop: String, ss: String, raw: NetlinkSocket, rounds: Int,
                       made: DumpsMade = DumpsMade()) throws {
    let baseline = ProcessInfo.processInfo.environment["MPTOP_BASELINE"].flatMap { $0.isEmpty ? nil : $0 }
    let binaries = [mptop] + (baseline.map { [$0] } ?? [])
    var bare: [Double] = [], bareTen: [Double] = [], ssTimes: [Double] = [], ssCPU: [Double] = []
    var madeBare: [Double] = [], madeTen: [Double] = []
    let fewer = made.fewer
    let empty = [[Double]](repeating: [], count: processScenarios.count)
    var times = [[[Double]]](repeating: empty, count: binaries.count)
    var cpu = times
    var peaks = [[Int]](repeating: [Int](repeating: 0, count: processScenarios.count), count: binaries.count)
    var failures: [String] = []
    for _ in 0..<rounds {
        bare.append(try milliseconds { _ = try rawDump(raw) })
        bareTen.append(try milliseconds { for _ in 0..<10 { _ = try rawDump(raw) } })
        if fewer {
            madeBare.append(try milliseconds { _ = try rawDump(raw, made: made) })
            madeTen.append(try milliseconds { for _ in 0..<10 { _ = try rawDump(raw, made: made) } })
        }
        var pairCPU = 0.0
        ssTimes.append(milliseconds {
            pairCPU = runMeasured(ss, ["-N", namespace, "-Mi"]).cpuMilliseconds
            pairCPU += runMeasured(ss, ["-N", namespace, "-tni"]).cpuMilliseconds
        })
        ssCPU.append(pairCPU)
        for (i, scenario) in processScenarios.enumerated() {
            for (k, binary) in binaries.enumerated() {
                var result: (status: Int32, maxRSSKiB: Int, cpuMilliseconds: Double) = (0, 0, 0)
                times[k][i].append(milliseconds { result = runMeasured(binary, ["--netns", namespace] + scenario.arguments) })
                cpu[k][i].append(result.cpuMilliseconds)
                if result.status != 0 { failures.append("\(binary) \(scenario.label): exit \(result.status)") }
            }
        }
    }
    for i in processScenarios.indices {
        for (k, binary) in binaries.enumerated() {
            peaks[k][i] = peakRSSKiB(binary, ["--netns", namespace] + processScenarios[i].arguments) ?? 0
        }
    }
    let b = median(bare), b10 = median(bareTen), x = median(ssTimes)
    func ratio(_ a: Double, _ b: Double) -> String { Units.fixed(a / max(b, 0.001), decimals: 2) + "x" }
    print("  whole process, stdout to /dev/null (median of \(rounds), interleaved):")
    print("    bare dump \(ms(b)), ten bare dumps \(ms(b10)), ss -Mi + ss -tni \(ms(x)) (CPU \(ms(median(ssCPU))))")
    if fewer {
        print("    \(made.described): \(ms(median(madeBare))), ten \(ms(median(madeTen)))")
    }
    for (i, scenario) in processScenarios.enumerated() {
        for k in binaries.indices {
            let t = median(times[k][i])
            let base = scenario.dumps == 1 ? "bare dump" : "10 bare dumps"
            let vsSS = scenario.dumps == 1 ? "   \(ratio(t, x)) ss" : ""
            let name = k == 0 ? "mptop" : "  baseline"
            print("    \(name) \(scenario.label.padded(to: 42)) \(ms(t).leftPadded(to: 10))   \(ratio(t, scenario.dumps == 1 ? b : b10)) \(base)\(vsSS)"
                + (fewer ? " (\(ratio(t, scenario.dumps == 1 ? median(madeBare) : median(madeTen))) its dumps)" : "")
                + "   CPU \(ms(median(cpu[k][i])))   peak RSS \(peaks[k][i] / 1024) MiB")
        }
    }
    for f in failures.prefix(5) { print("    FAILED \(f)") }
}

/// The peak RSS of one run of `path`, in KiB, from `/usr/bin/time -f %M` (nil without it).
/// Not wait4's own figure: a child spawned by this process starts as a copy of it (vfork), and
/// Linux counts the peak of the memory it had before exec, so every child of a benchmark holding
/// 65 MiB "peaked" at 65 MiB. /usr/bin/time is a small process of its own that forks the run.
func peakRSSKiB(_ path: String, _ args: [String]) -> Int? {
    let time = "/usr/bin/time"
    guard access(time, X_OK) == 0 else { return nil }
    var template = Array("/tmp/mptop-bench-rss-XXXXXX".utf8CString)
    let fd = mkstemp(&template)  // a file of its own, not a name in /tmp anyone could have linked
    guard fd >= 0 else { return nil }
    close(fd)
    let report = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    defer { unlink(report) }
    guard runMeasured(time, ["-f", "%M", "-o", report, path] + args).status == 0,
          let text = (try? TextFile.read(report, limit: 4096)) ?? nil else { return nil }
    return Int(text.split(separator: "\n").last.map(String.init) ?? "")
}
