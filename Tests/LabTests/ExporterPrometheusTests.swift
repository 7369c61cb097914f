import Foundation
import LabKit
import MPTCPKit
import XCTest

/// mptop-exporter scraped by a real Prometheus server, both inside the lab's client namespace
/// (their traffic stays on its loopback), checked through Prometheus's HTTP API.
final class ExporterPrometheusTests: XCTestCase {
    static let exporterAddress = "127.0.0.1:9479"
    static let prometheusAddress = "127.0.0.1:19090"

    func testPrometheusSeesSharesCountersWithoutResetsAndTheKernelsMIB() throws {
        guard let prometheus = ShellCommand.locate("prometheus"), ShellCommand.locate("promtool") != nil else {
            throw XCTSkip("prometheus/promtool are not installed (Debian package prometheus)")
        }
        guard ShellCommand.locate("curl") != nil else { throw XCTSkip("curl is not installed") }
        let lab = try makeLab()
        let ns = lab.clientNamespace
        let session = try TrafficSession(lab: lab)
        _ = try session.waitForSubflows(2)

        // Started with `ip netns exec` and no --netns: it labels its own namespace by its name.
        let exporter = try lab.spawn(in: ns, executable: try exporterPath(),
                                     arguments: ["--listen", Self.exporterAddress, "--per-connection", "3"])
        XCTAssertTrue(waitUntil(timeout: 10) { (try? curl(lab, "http://\(Self.exporterAddress)/metrics")) != nil },
                      "the exporter did not answer: \(exporter.diagnosis)")
        try lab.run(in: ns, "bash", ["-c", "set -o pipefail; curl -sf http://\(Self.exporterAddress)/metrics | promtool check metrics"])

        let dir = try temporaryDirectory("mptop-exporter-test")
        let config = dir.appendingPathComponent("prometheus.yml")
        try """
        global:
          scrape_interval: 1s
        scrape_configs:
          - job_name: mptop
            static_configs:
              - targets: ['\(Self.exporterAddress)']
        """.write(to: config, atomically: true, encoding: .utf8)
        let server = try lab.spawn(in: ns, executable: prometheus, arguments: [
            "--config.file=\(config.path)", "--storage.tsdb.path=\(dir.appendingPathComponent("data").path)",
            "--web.listen-address=\(Self.prometheusAddress)", "--log.level=warn",
        ])
        addTeardownBlock { _ = server.stop(timeout: 10) }
        XCTAssertTrue(waitUntil(timeout: 30) { (try? query(lab, #"up{job="mptop"}"#).first?.value) == 1 },
                      "Prometheus never scraped the exporter: \(server.diagnosis)")
        sleep(3)

        // Shares: the same figure as mptop --json (taken a moment later; traffic moves it a little).
        let json = try mptopOnce(namespace: ns)
        let shares = try query(lab, #"mptop_interface_share{netns="\#(ns)"}"#)
        for i in json.objects("interfaces") {
            let name = try XCTUnwrap(i.string("name"))
            let mine = try XCTUnwrap(shares.first { $0.labels["interface"] == name }?.value, "no share for \(name): \(shares)")
            XCTAssertEqual(mine, try XCTUnwrap(i.number("share")), accuracy: 0.05, name)
        }
        XCTAssertEqual(Set(shares.compactMap { $0.labels["interface"] }), ["wifi0", "cell0"])
        // --per-connection: the one connection, by the token mptop --json gives it.
        let token = try XCTUnwrap(json.objects("connections").first?.string("token"))
        let perConnection = try query(lab, #"mptop_connection_subflows{netns="\#(ns)"}"#)
        XCTAssertEqual(perConnection.map { $0.labels["token"] }, [token])
        XCTAssertEqual(perConnection.first?.value, 2)

        // Close the cell0 subflow mid-run: the kernel forgets its bytes, the counter must not.
        let before = try query(lab, #"mptop_interface_bytes_total{interface="cell0",direction="tx"}"#).first?.value ?? 0
        XCTAssertGreaterThan(before, 0, "cell0 carried nothing before the close")
        try lab.run(in: ns, "ss", ["-K", "-tn", "src", LabPath.cell.clientIPv4, "dst", LabAddress.serviceIPv4])
        // Until a scrape after the close has both the gauge and the event's count (a second
        // apart here; longer on a slow machine).
        _ = waitUntil(timeout: 20) {
            (try? query(lab, #"mptop_subflows{interface="cell0"}"#).first?.value) == 0
                && (try? query(lab, #"mptop_subflows_closed_total{interface="cell0",reason="ECONNABORTED"}"#).first?.value) == 1
        }
        XCTAssertEqual(try query(lab, #"mptop_subflows{interface="cell0"}"#).first?.value, 0, "the cell0 subflow is gone")
        XCTAssertEqual(try query(lab, #"max_over_time(mptop_subflows{interface="cell0"}[5m])"#).first?.value, 1)
        XCTAssertGreaterThanOrEqual(try query(lab, #"mptop_interface_bytes_total{interface="cell0",direction="tx"}"#).first?.value ?? 0, before)
        // SOCK_DESTROY (ss -K) closes with ECONNABORTED; the SUB_CLOSED event says so.
        XCTAssertEqual(try query(lab, #"mptop_subflows_closed_total{interface="cell0",reason="ECONNABORTED"}"#).first?.value, 1)

        // The whole connection ends too; then no byte counter may ever have gone backwards.
        _ = try session.finish()
        _ = waitUntil(timeout: 20) { (try? query(lab, #"mptop_connections{netns="\#(ns)"}"#).first?.value) == 0 }
        sleep(3)  // a few scrapes more with nothing moving, for the counters below
        let samples = try query(lab, #"count_over_time(mptop_interface_bytes_total[5m])"#)
        XCTAssertEqual(samples.count, 4, "wifi0 and cell0, tx and rx: \(samples)")
        XCTAssertTrue(samples.allSatisfy { $0.value >= 8 }, "too few scrapes to tell: \(samples)")
        let resets = try query(lab, #"resets(mptop_interface_bytes_total[5m])"#)
        XCTAssertEqual(resets.count, 4)
        for r in resets { XCTAssertEqual(r.value, 0, "counter reset: \(r.labels)") }
        XCTAssertEqual(try query(lab, #"mptop_connections{netns="\#(ns)"}"#).first?.value, 0)

        // MIB counters: now that nothing moves, every one equals /proc/net/netstat in the namespace.
        let file = try XCTUnwrap(MPTCPCounters.parse(netstat: try lab.run(in: ns, "cat", ["/proc/net/netstat"])))
        let mib = try query(lab, #"mptop_mib_total{netns="\#(ns)"}"#)
        XCTAssertEqual(mib.count, file.entries.count)
        for e in file.entries {
            XCTAssertEqual(mib.first { $0.labels["name"] == e.name }?.value, Double(e.value), e.name)
        }
        XCTAssertGreaterThan(file["MPRstTx"] ?? 0, 0, "ss -K sends MP_TCPRST: the lab's counters, not the host's")
        XCTAssertEqual(try query(lab, #"mptop_events_subscribed{reason="subscribed"}"#).first?.value, 1)
        XCTAssertTrue(exporter.isRunning, exporter.diagnosis)
    }

    func testTextfileModeWritesTheSameTextAtomically() throws {
        let lab = try makeLab()
        let dir = try temporaryDirectory("mptop-exporter-test")
        let path = dir.appendingPathComponent("mptop.prom").path
        let exporter = try lab.spawn(in: lab.clientNamespace, executable: try exporterPath(),
                                     arguments: ["--netns", lab.clientNamespace, "--textfile", path, "--interval", "0.2"])
        XCTAssertTrue(waitUntil(timeout: 10) { FileManager.default.fileExists(atPath: path) }, exporter.diagnosis)
        usleep(500_000)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(text.contains(#"mptop_up{netns="\#(lab.clientNamespace)"} 1"#), text)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { !$0.hasPrefix(".") }, ["mptop.prom"])
        _ = exporter.stop(timeout: 5)
    }

    /// A client that sends half a request and waits, and another that asks and never reads,
    /// hold only their own connections: concurrent scrapes still answer at once.
    func testStalledClientsDoNotHoldUpScrapesAndOtherPathsAreCleanErrors() throws {
        let lab = try makeLab()
        let ns = lab.clientNamespace
        let exporter = try lab.spawn(in: ns, executable: try exporterPath(), arguments: ["--listen", Self.exporterAddress])
        XCTAssertTrue(waitUntil(timeout: 10) { (try? curl(lab, "http://\(Self.exporterAddress)/metrics")) != nil }, exporter.diagnosis)
        let port = Self.exporterAddress.split(separator: ":").last.map(String.init) ?? ""
        let halfRequest = try lab.spawn(in: ns, executable: "/bin/bash", arguments: ["-c",
            "exec 3<>/dev/tcp/127.0.0.1/\(port); printf 'GET /metrics HTTP/1.1\\r\\nHost: x\\r\\n' >&3; sleep 60"])
        let neverReads = try lab.spawn(in: ns, executable: "/bin/bash", arguments: ["-c",
            "exec 3<>/dev/tcp/127.0.0.1/\(port); for i in $(seq 200); do printf 'GET /metrics HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n' >&3; done; sleep 60"])
        defer {
            _ = halfRequest.stop(timeout: 2)
            _ = neverReads.stop(timeout: 2)
        }
        usleep(500_000)
        let start = Date()
        let codes = try lab.run(in: ns, "bash", ["-c", """
            for i in 1 2 3 4; do curl -s -o /dev/null --max-time 5 -w '%{http_code}\\n' http://\(Self.exporterAddress)/metrics & done; wait
            """])
        XCTAssertEqual(codes.split(separator: "\n").map(String.init), ["200", "200", "200", "200"])
        XCTAssertLessThan(Date().timeIntervalSince(start), 3, "four concurrent scrapes next to stalled clients took too long")

        func status(_ args: [String]) throws -> String {
            try lab.run(in: ns, "curl", ["-s", "-o", "/dev/null", "--max-time", "5", "-w", "%{http_code}"] + args)
        }
        XCTAssertEqual(try status(["http://\(Self.exporterAddress)/"]), "200")
        XCTAssertEqual(try status(["http://\(Self.exporterAddress)/nothing-here"]), "404")
        XCTAssertEqual(try status(["-X", "POST", "http://\(Self.exporterAddress)/metrics"]), "405")
        XCTAssertEqual(try status(["-X", "DELETE", "http://\(Self.exporterAddress)/"]), "405")
        XCTAssertTrue(try curl(lab, "http://\(Self.exporterAddress)/").contains("<li>\(ns)</li>"))
        XCTAssertTrue(exporter.isRunning, exporter.diagnosis)
    }

    /// --all-netns follows /run/netns: a lab built later is watched at the next scrape, and
    /// dropped when it is deleted.
    func testAllNetnsFollowsNamespacesAsTheyComeAndGo() throws {
        let lab = try makeLab()
        let exporter = try lab.spawn(in: lab.clientNamespace, executable: try exporterPath(),
                                     arguments: ["--listen", Self.exporterAddress, "--all-netns"])
        func up() throws -> String { try curl(lab, "http://\(Self.exporterAddress)/metrics") }
        XCTAssertTrue(waitUntil(timeout: 10) { (try? up()) != nil }, exporter.diagnosis)
        var text = try up()
        XCTAssertTrue(text.contains(#"mptop_up{netns="\#(lab.clientNamespace)"} 1"#), text)
        XCTAssertTrue(text.contains(#"mptop_up{netns="\#(lab.serverNamespace)"} 1"#), text)

        let later = try Lab(options: LabOptions())
        addTeardownBlock { later.close() }
        text = try up()
        XCTAssertTrue(text.contains(#"mptop_up{netns="\#(later.clientNamespace)"} 1"#), "a namespace made later")
        later.close()
        text = try up()
        XCTAssertFalse(text.contains(later.clientNamespace), "a deleted namespace stays watched")
        XCTAssertTrue(exporter.isRunning, exporter.diagnosis)
    }

    /// As nobody (no capabilities): connections, subflows and counters still come, the event
    /// series are absent and a gauge says why.
    func testUnprivilegedItSamplesAndSaysWhyEventsAreMissing() throws {
        guard let setpriv = ShellCommand.locate("setpriv") else { throw XCTSkip("setpriv (util-linux) is not installed") }
        let lab = try makeLab()
        let ns = lab.clientNamespace
        let session = try TrafficSession(lab: lab)
        _ = try session.waitForSubflows(2)
        let exporter = try lab.spawn(in: ns, executable: setpriv, arguments: [
            "--reuid=65534", "--regid=65534", "--clear-groups", try exporterPath(), "--listen", Self.exporterAddress,
        ])
        var text = ""
        XCTAssertTrue(waitUntil(timeout: 10) {
            text = (try? curl(lab, "http://\(Self.exporterAddress)/metrics")) ?? ""
            return !text.isEmpty
        }, exporter.diagnosis)
        XCTAssertTrue(text.contains(#"mptop_up{netns="\#(ns)"} 1"#), text)
        XCTAssertTrue(text.contains(#"mptop_connections{netns="\#(ns)"} 1"#), text)
        XCTAssertTrue(text.contains(#"mptop_subflows{netns="\#(ns)",interface="cell0"} 1"#), text)
        XCTAssertTrue(text.contains(#"mptop_events_subscribed{netns="\#(ns)",reason="no_cap_net_admin"} 0"#), text)
        XCTAssertFalse(text.contains("mptop_events_total{"), text)
        XCTAssertTrue(text.contains(#"mptop_mib_total{netns="\#(ns)",name="MPCapableSYNTX"} "#), text)
        _ = session
    }

    func testBadInputIsAOneLineError() throws {
        try skipUnlessLabAvailable()
        let cases: [([String], Int32, String)] = [
            (["--netns", "mptop-no-such-ns-\(getpid())"], 1, "no network namespace named"),
            (["--listen", "localhost"], 2, "--listen takes ADDR:PORT"),
            (["--listen", "example.com:80"], 2, "numeric address"),
            (["--netns", "../x"], 2, "invalid namespace name"),
            (["--all-netns", "--netns", "a"], 2, "exclude each other"),
            (["--per-connection", "20000"], 2, "--per-connection takes 0 to 10000"),
            (["--bogus"], 2, "--bogus"),
            (["--interval", "5"], 2, "--interval goes with --textfile"),
            (["--textfile", "/tmp/x.prom", "--interval", "0"], 2, "--interval takes seconds"),
        ]
        for (args, status, text) in cases {
            let out = try ShellCommand.run(try exporterPath(), args, timeout: 10)
            XCTAssertEqual(out.status, status, "\(args): \(out.stderr)")
            let lines = out.stderr.split(separator: "\n")
            XCTAssertEqual(lines.count, 1, "\(args): \(out.stderr)")
            XCTAssertTrue(out.stderr.hasPrefix("mptop-exporter: ") && out.stderr.contains(text), "\(args): \(out.stderr)")
        }
    }

    /// `--version` as every system tool has it, the same release as mptop's (the exporter had none).
    /// Started with `nice -n 7`, the threads that collect and serve run at nice 7. Swift's
    /// concurrency runs on libdispatch's threads, which set their own nice value (0 at the default
    /// QoS), and threads started from async code inherited that: the namespace worker (and the
    /// sampler's receiving threads it starts) and NIO's event loops ran at nice 0, so under load
    /// a scrape waited for the CPU behind everything else, and `Nice=` in a unit did nothing.
    func testItsWorkingThreadsKeepTheNiceValueItWasStartedWith() throws {
        guard let nice = ShellCommand.locate("nice") else { throw XCTSkip("nice (coreutils) is not installed") }
        let lab = try makeLab()
        let exporter = try lab.spawn(in: lab.clientNamespace, executable: nice,
                                     arguments: ["-n", "7", try exporterPath(), "--listen", Self.exporterAddress])
        XCTAssertTrue(waitUntil(timeout: 10) { (try? curl(lab, "http://\(Self.exporterAddress)/metrics")) != nil }, exporter.diagnosis)
        // `nice` and `ip netns exec` exec in place: the exporter has the pid the lab started.
        let threads = try threadsAndNiceValues(of: exporter.pid)
        XCTAssertEqual(threads.first { $0.name == "mptop-exporter" }?.nice, 7, "\(threads)")
        let working = threads.filter { $0.name == "mptop-netns" || $0.name.hasPrefix("NIO-") }
        XCTAssertEqual(working.filter { $0.name == "mptop-netns" }.count, 1, "\(threads)")
        XCTAssertGreaterThan(working.count, 1, "\(threads)")
        for t in working { XCTAssertEqual(t.nice, 7, "thread \(t.name): \(threads)") }
    }

    func testTheExporterSaysItsVersionLikeMptop() throws {
        let exporter = try ShellCommand.run(try exporterPath(), ["--version"])
        XCTAssertEqual(exporter.status, 0, exporter.stderr)
        let mptop = try runMptop(["--version"])
        XCTAssertTrue(mptop.stdout.hasPrefix("mptop "), mptop.stdout)
        XCTAssertEqual(exporter.stdout, "mptop-exporter " + mptop.stdout.dropFirst("mptop ".count))
    }

    // MARK: - helpers

    func exporterPath() throws -> String {
        let path = URL(fileURLWithPath: try mptopPath()).deletingLastPathComponent().appendingPathComponent("mptop-exporter").path
        guard FileManager.default.isExecutableFile(atPath: path) else { throw TestFailure("no mptop-exporter at \(path): run 'swift build'") }
        return path
    }

    /// Every thread of `pid`: its name (comm) and nice value, from /proc/PID/task/TID/stat.
    func threadsAndNiceValues(of pid: Int32) throws -> [(name: String, nice: Int)] {
        try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task").compactMap { tid in
            guard let stat = try TextFile.read("/proc/\(pid)/task/\(tid)/stat", limit: 4096),
                  let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { return nil }
            // After the name: the state is field 3 and the nice value field 19.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 16, let nice = Int(fields[16]) else { return nil }
            return (String(stat[stat.index(after: open)..<close]), nice)
        }
    }

    /// GET inside the lab's client namespace.
    func curl(_ lab: Lab, _ url: String, form: [String] = []) throws -> String {
        try lab.run(in: lab.clientNamespace, "curl", ["-sf", "--max-time", "5"] + form.flatMap { ["--data-urlencode", $0] } + [url])
    }

    struct Sample {
        let labels: [String: String]
        let value: Double
    }

    /// An instant query against the test's Prometheus: every series of the result.
    func query(_ lab: Lab, _ promql: String) throws -> [Sample] {
        let text = try curl(lab, "http://\(Self.prometheusAddress)/api/v1/query", form: ["query=\(promql)"])
        let top = try JSONObject(parsing: text)
        guard top.string("status") == "success", let data = top["data"] as? [String: Any],
              let result = data["result"] as? [[String: Any]] else { throw TestFailure("query \(promql) failed: \(text)") }
        return result.compactMap { series in
            guard let value = series["value"] as? [Any], value.count == 2, let v = (value[1] as? String).flatMap(Double.init) else { return nil }
            return Sample(labels: series["metric"] as? [String: String] ?? [:], value: v)
        }
    }
}
