// The whole `mptop` process at N connections, as a user runs it, next to the bare dump and to
// `ss -Mi; ss -tni` timed in the same rounds: start-up, sampling, output and exit, with the
// output written to /dev/null. This is what the in-process sample above leaves out.
import Foundation
import LabKit
import MPTCPKit

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
/// row) and the `ss` pair, so drift hits them alike; prints each with its ratios and peak RSS.
func benchWholeProcess(namespace: String, mptop: String, ss: String, raw: NetlinkSocket, rounds: Int) throws {
    var bare: [Double] = [], bareTen: [Double] = [], ssTimes: [Double] = []
    var times = [[Double]](repeating: [], count: processScenarios.count)
    var peaks = [Int](repeating: 0, count: processScenarios.count)
    var failures: [String] = []
    for _ in 0..<rounds {
        bare.append(try milliseconds { _ = try rawDump(raw) })
        bareTen.append(try milliseconds { for _ in 0..<10 { _ = try rawDump(raw) } })
        ssTimes.append(milliseconds {
            _ = runMeasured(ss, ["-N", namespace, "-Mi"])
            _ = runMeasured(ss, ["-N", namespace, "-tni"])
        })
        for (i, scenario) in processScenarios.enumerated() {
            var result: (status: Int32, maxRSSKiB: Int) = (0, 0)
            times[i].append(milliseconds { result = runMeasured(mptop, ["--netns", namespace] + scenario.arguments) })
            peaks[i] = max(peaks[i], result.maxRSSKiB)
            if result.status != 0 { failures.append("\(scenario.label): exit \(result.status)") }
        }
    }
    let b = median(bare), b10 = median(bareTen), x = median(ssTimes)
    func ratio(_ a: Double, _ b: Double) -> String { Units.fixed(a / max(b, 0.001), decimals: 2) + "x" }
    print("  whole process, stdout to /dev/null (median of \(rounds), interleaved):")
    print("    bare dump \(ms(b)), ten bare dumps \(ms(b10)), ss -Mi + ss -tni \(ms(x))")
    for (i, scenario) in processScenarios.enumerated() {
        let t = median(times[i])
        let base = scenario.dumps == 1 ? "bare dump" : "10 bare dumps"
        let vsSS = scenario.dumps == 1 ? "   \(ratio(t, x)) ss" : ""
        print("    mptop \(scenario.label.padded(to: 42)) \(ms(t).leftPadded(to: 10))   \(ratio(t, scenario.dumps == 1 ? b : b10)) \(base)\(vsSS)   peak RSS \(peaks[i] / 1024) MiB")
    }
    for f in failures.prefix(5) { print("    FAILED \(f)") }
}
