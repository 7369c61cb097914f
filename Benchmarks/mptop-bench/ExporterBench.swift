// mptop-bench --exporter: the cost of a Prometheus scrape next to the bare dump of the same sockets.
import Exporter
import Foundation
import LabKit
import MPTCPKit

/// One scrape computed in process: a collection as the exporter's namespace worker does it
/// (sample without rates, MIB counters) and the exposition text. Returns the text's size.
func inProcessScrape(_ sampler: Sampler, _ state: inout NamespaceState) throws -> Int {
    let snapshot = try sampler.sampleWithoutRates()
    state.record(snapshot, mib: try? MPTCPCounters.read(), duration: 0)
    return Exposition.render([state]).count
}

/// Times scrapes against a running mptop-exporter in the lab's client namespace, with curl, and
/// in process, round by round with the bare dump; prints the ratios.
func benchExporter(lab: Lab, mptop: String, raw: NetlinkSocket, sampler: Sampler, rounds: Int, ssMilliseconds: Double) throws {
    guard let curl = ToolRunner.locate("curl") else { fail("--exporter needs curl") }
    let path = URL(fileURLWithPath: mptop).deletingLastPathComponent().appendingPathComponent("mptop-exporter").path
    guard FileManager.default.isExecutableFile(atPath: path) else { fail("no mptop-exporter next to \(mptop): swift build -c release") }
    let address = "127.0.0.1:9479"
    let exporter = try lab.spawn(in: lab.clientNamespace, executable: path, arguments: ["--listen", address])
    defer { _ = exporter.stop(timeout: 5) }
    let metrics = ["-sf", "-o", "/dev/null", "http://\(address)/metrics"]
    let page = ["-sf", "-o", "/dev/null", "http://\(address)/"]
    let deadline = now() + 20_000_000_000
    while runMeasured(curl, metrics).status != 0 {
        guard now() < deadline else { fail("mptop-exporter did not answer: \(exporter.diagnosis)") }
        usleep(100_000)
    }
    var state = NamespaceState(namespace: lab.clientNamespace)
    var bytes = try inProcessScrape(sampler, &state)
    var rawTimes: [Double] = [], inProcess: [Double] = [], whole: [Double] = [], curlAlone: [Double] = []
    var samples: [Double] = [], counters: [Double] = [], texts: [Double] = []
    for _ in 0..<rounds {
        rawTimes.append(try milliseconds { _ = try rawDump(raw) })
        inProcess.append(try milliseconds { bytes = try inProcessScrape(sampler, &state) })
        // The parts of the in-process scrape, to see where its time goes.
        var snapshot: Snapshot?
        samples.append(try milliseconds { snapshot = try sampler.sampleWithoutRates() })
        counters.append(milliseconds { _ = try? MPTCPCounters.read() })
        texts.append(milliseconds {
            if let snapshot { state.record(snapshot, mib: state.mib, duration: 0) }
            _ = Exposition.render([state])
        })
        whole.append(milliseconds { _ = runMeasured(curl, metrics) })
        curlAlone.append(milliseconds { _ = runMeasured(curl, page) })
    }
    let r = median(rawTimes), p = median(inProcess), w = median(whole), c = median(curlAlone)
    func ratio(_ v: Double) -> String { Units.fixed(v / max(r, 0.001), decimals: 2) + "x the bare dump" }
    print("  bare netlink dump, this loop                 \(ms(r))")
    print("  exporter scrape in process (collect + text)  \(ms(p))   \(ratio(p)), \(bytes / 1024) KiB of text")
    print("    of which: sample \(ms(median(samples))), MIB counters \(ms(median(counters))), "
        + "byte counters + text \(ms(median(texts)))")
    print("  exporter GET /metrics with curl              \(ms(w))   \(ratio(w))")
    print("  curl GET / (a static page: curl + HTTP)      \(ms(c))")
    print("  GET /metrics less GET /                      \(ms(w - c))   \(ratio(w - c))")
    print("  ss -Mi + ss -tni (above)                     \(ms(ssMilliseconds))   \(ratio(ssMilliseconds)); GET /metrics is "
        + Units.fixed(ssMilliseconds / max(w, 0.001), decimals: 1) + "x faster")
}
