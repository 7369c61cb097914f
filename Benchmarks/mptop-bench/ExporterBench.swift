// mptop-bench --exporter: the cost of a Prometheus scrape next to the bare dump of the same sockets.
import Exporter
import Foundation
import LabKit
import MPTCPKit

/// What --exporter runs besides the lab: the release mptop-exporter next to mptop, and curl.
struct ExporterTools {
    let exporter: String
    let curl: String

    /// Found before any lab is built: a missing one is a one-line error and exit 1, not a
    /// 10,000-connection lab built for nothing.
    static func locate(nextTo mptop: String) -> ExporterTools {
        guard let curl = ToolRunner.locate("curl") else { fail("--exporter needs curl (apt install curl)") }
        let path = URL(fileURLWithPath: mptop).deletingLastPathComponent().appendingPathComponent("mptop-exporter").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            fail("--exporter needs mptop-exporter next to \(mptop): swift build -c release --product mptop-exporter")
        }
        return ExporterTools(exporter: path, curl: curl)
    }
}

/// One scrape computed in process: a collection as the exporter's namespace worker does it
/// (sample without rates, MIB counters) and the exposition text. Returns the text's size.
func inProcessScrape(_ sampler: Sampler, _ state: inout NamespaceState) throws -> Int {
    let snapshot = try sampler.sampleWithoutRates()
    state.record(snapshot, mib: try? MPTCPCounters.read(), duration: 0)
    return Exposition.render([state]).count
}

/// The exporter's own `mptop_scrape_duration_seconds` in a scrape's text, in milliseconds.
func reportedCollectionMilliseconds(in text: String) -> Double? {
    for line in text.split(separator: "\n") where line.hasPrefix(MetricFamily.scrapeDuration.name + "{") {
        return line.split(separator: " ").last.flatMap { Double($0) }.map { $0 * 1e3 }
    }
    return nil
}

/// Times scrapes against a running mptop-exporter in the lab's client namespace, with curl, and
/// in process, round by round with the bare dump; prints the ratios. Beside the wall time of each
/// GET: the exporter's CPU time (every thread's, from /proc/PID/stat) and the collection time it
/// reports itself, which split the scrape into collection and HTTP.
func benchExporter(lab: Lab, tools: ExporterTools, raw: NetlinkSocket, sampler: Sampler, rounds: Int, ssMilliseconds: Double) throws {
    let address = "127.0.0.1:9479"
    let exporter = try lab.spawn(in: lab.clientNamespace, executable: tools.exporter, arguments: ["--listen", address])
    defer { _ = exporter.stop(timeout: 5) }
    let body = NSTemporaryDirectory() + "mptop-bench-\(getpid())-metrics"
    defer { unlink(body) }
    let metrics = ["-sf", "-o", body, "http://\(address)/metrics"]
    let page = ["-sf", "-o", body, "http://\(address)/"]
    let deadline = now() + 20_000_000_000
    while runMeasured(tools.curl, metrics).status != 0 {
        guard now() < deadline else { fail("mptop-exporter did not answer: \(exporter.diagnosis)") }
        usleep(100_000)
    }
    func exporterCPU() -> Double {
        guard let s = cpuSeconds(of: exporter.pid) else { fail("mptop-exporter exited: \(exporter.diagnosis)") }
        return s * 1e3
    }
    var state = NamespaceState(namespace: lab.clientNamespace)
    var bytes = try inProcessScrape(sampler, &state)
    var rawTimes: [Double] = [], inProcess: [Double] = [], whole: [Double] = [], curlAlone: [Double] = []
    var rawCPU: [Double] = [], inProcessCPU: [Double] = [], reported: [Double] = []
    var samples: [Double] = [], counters: [Double] = [], texts: [Double] = []
    var metricsCPU = 0.0, pageCPU = 0.0
    for _ in 0..<rounds {
        let r = try wallAndCPU { _ = try rawDump(raw) }
        rawTimes.append(r.wall)
        rawCPU.append(r.cpu)
        let p = try wallAndCPU { bytes = try inProcessScrape(sampler, &state) }
        inProcess.append(p.wall)
        inProcessCPU.append(p.cpu)
        // The parts of the in-process scrape, to see where its time goes.
        var snapshot: Snapshot?
        samples.append(try milliseconds { snapshot = try sampler.sampleWithoutRates() })
        counters.append(milliseconds { _ = try? MPTCPCounters.read() })
        texts.append(milliseconds {
            if let snapshot { state.record(snapshot, mib: state.mib, duration: 0) }
            _ = Exposition.render([state])
        })
        let c0 = exporterCPU()
        whole.append(milliseconds { _ = runMeasured(tools.curl, metrics) })
        let c1 = exporterCPU()
        if let text = (try? TextFile.read(body)) ?? nil, let v = reportedCollectionMilliseconds(in: text) { reported.append(v) }
        curlAlone.append(milliseconds { _ = runMeasured(tools.curl, page) })
        metricsCPU += c1 - c0
        pageCPU += exporterCPU() - c1
    }
    let r = median(rawTimes), p = median(inProcess), w = median(whole), c = median(curlAlone), e = median(reported)
    func ratio(_ v: Double) -> String { Units.fixed(v / max(r, 0.001), decimals: 2) + "x the bare dump" }
    func cpuRatio(_ v: Double) -> String { Units.fixed(v / max(median(rawCPU), 0.001), decimals: 2) + "x" }
    let perMetrics = metricsCPU / Double(rounds), perPage = pageCPU / Double(rounds)
    print("  bare netlink dump, this loop                 \(ms(r)), CPU \(ms(median(rawCPU)))")
    print("  exporter scrape in process (collect + text)  \(ms(p))   \(ratio(p)), \(bytes / 1024) KiB of text; "
        + "CPU \(ms(median(inProcessCPU))) (\(cpuRatio(median(inProcessCPU))))")
    print("    of which: sample \(ms(median(samples))), MIB counters \(ms(median(counters))), "
        + "byte counters + text \(ms(median(texts)))")
    print("  exporter GET /metrics with curl              \(ms(w))   \(ratio(w))")
    print("    its collection (mptop_scrape_duration_seconds) \(ms(e))   \(ratio(e)), \(reported.count) of \(rounds) read")
    print("    exporter CPU per GET /metrics (mean)       \(ms(perMetrics))   \(cpuRatio(perMetrics)) the bare dump's CPU; per GET / \(ms(perPage))")
    print("  curl GET / (a static page: curl + HTTP)      \(ms(c))")
    print("  GET /metrics less GET /                      \(ms(w - c))   \(ratio(w - c))")
    print("  ss -Mi + ss -tni (above)                     \(ms(ssMilliseconds))   \(ratio(ssMilliseconds)); GET /metrics is "
        + Units.fixed(ssMilliseconds / max(w, 0.001), decimals: 1) + "x faster")
}
