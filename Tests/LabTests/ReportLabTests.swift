import Foundation
import LabKit
import MPTCPKit
import Output
import XCTest

/// `mptop report`, the real binary, on a lab with MPTCP traffic: the bundle unpacks, no file in
/// it is empty, and what it says agrees with iproute2 and with itself (counters only grow,
/// the snapshots carry the connections `ss -M` shows, the events name them).
final class ReportLabTests: XCTestCase {
    private var dir = ""

    override func setUpWithError() throws {
        dir = try temporaryDirectory("mptop-report-lab").path
    }

    /// Unpacks `archive` into a fresh directory and returns the one directory inside with its files.
    private func unpack(_ archive: String) throws -> (path: String, files: [String: String]) {
        let into = dir + "/unpacked-\(UInt32.random(in: 0...UInt32.max))"
        XCTAssertEqual(mkdir(into, 0o700), 0)
        _ = try ShellCommand.check("tar", ["-xzf", archive, "-C", into])
        let top = try FileManager.default.contentsOfDirectory(atPath: into)
        XCTAssertEqual(top.count, 1, "one directory in the archive: \(top)")
        let path = into + "/" + (top.first ?? "")
        var files: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: path) {
            // Decoded leniently: the recording is binary (only its emptiness matters here).
            files[name] = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path + "/" + name)), as: UTF8.self)
        }
        return (path, files)
    }

    /// A file's text after its first "$ COMMAND" line: what the command printed.
    private func body(_ text: String?, after command: String) -> String? {
        guard let text, let range = text.range(of: "$ \(command)\n") else { return nil }
        return String(text[range.upperBound...])
    }

    private func counters(_ text: String?) -> [String: UInt64] {
        var out: [String: UInt64] = [:]
        for line in (text ?? "").split(separator: "\n") where !line.hasPrefix("#") {
            let words = line.split(separator: " ")
            if words.count == 2, let v = UInt64(words[1]) { out[String(words[0])] = v }
        }
        return out
    }

    private func temporaryDirectories() -> Set<String> {
        Set(((try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []).filter { $0.hasPrefix("mptop-report.") })
    }

    func testBundleOfALabNamespaceWithTraffic() throws {
        let lab = try makeLab()
        let ns = lab.clientNamespace
        let output = dir + "/bundle.tar.gz"
        let leftoversBefore = temporaryDirectories()
        // At a terminal, so the progress line says when the window has begun: it comes after the
        // first sample (counters read, events subscribed). A fixed wait lost the race on a slow
        // machine (the connection was already in the counters before the window).
        let screen = try makeScreen([try mptopPath(), "report", "--netns", ns, "--seconds", "3", "--output", output],
                                    width: 240, height: 20)
        screen.waitFor(timeout: 30, "the window's first progress line") { $0.contains("collecting… 0/3 s") }
        // The connection starts inside the window, so its events are in the bundle too.
        let session = try TrafficSession(lab: lab, sendArguments: ["--rate", "2M"])
        let errors = screen.waitFor(timeout: 30, "mptop report's exit") { $0.contains("[mptop exited ") }
        XCTAssertTrue(errors.contains("[mptop exited 0]"), errors)
        XCTAssertTrue(errors.contains("wrote \(output) (") && errors.contains("mode 0600)\n[mptop exited 0]"), errors)
        XCTAssertEqual(temporaryDirectories(), leftoversBefore, "the temporary directory is removed")

        let (unpacked, files) = try unpack(output)
        for (name, text) in files { XCTAssertFalse(text.isEmpty, "\(name) is empty") }
        for name in ["README.txt", "versions.txt", "sysctl.txt", "path-manager.txt", "endpoints.txt", "limits.txt",
                     "ip-addr.txt", "ip-link.txt", "ip-route.txt", "ip-rule.txt", "ss-mptcp-before.txt", "ss-mptcp-after.txt",
                     "ss-tcp-after.txt", "counters-before.txt", "counters-after.txt", "counters-change.txt",
                     "snapshots.jsonl", "events.jsonl", "recording.mptrec", "diagnose.txt", "diagnose.json"] {
            XCTAssertNotNil(files[name], "\(name) is missing; README: \(files["README.txt"] ?? "none")")
        }
        let readme = try XCTUnwrap(files["README.txt"])
        XCTAssertTrue(readme.contains("namespace: \(ns)"), readme)
        XCTAssertTrue(readme.contains("Not collected\n  nothing"), readme)
        for name in files.keys { XCTAssertTrue(readme.contains("\n  \(name) "), "README names \(name)") }

        // The endpoints and limits are iproute2's own words, in the lab's namespace.
        let endpoints = try ShellCommand.check("ip", ["-n", ns, "mptcp", "endpoint", "show"])
        XCTAssertFalse(endpoints.isEmpty)
        XCTAssertEqual(body(files["endpoints.txt"], after: "ip -n \(ns) mptcp endpoint show"), endpoints)
        XCTAssertEqual(body(files["limits.txt"], after: "ip -n \(ns) mptcp limits show"),
                       try ShellCommand.check("ip", ["-n", ns, "mptcp", "limits", "show"]))
        XCTAssertTrue(files["sysctl.txt"]?.contains("net.mptcp.enabled = 1") ?? false)
        XCTAssertTrue(files["path-manager.txt"]?.contains("path manager: kernel") ?? false)
        XCTAssertTrue(files["ip-addr.txt"]?.contains("cell0") ?? false)

        // Counters: the same names before and after, none smaller (but the gauge), and the
        // connection made in the window counted.
        let before = counters(files["counters-before.txt"]), after = counters(files["counters-after.txt"])
        XCTAssertGreaterThan(before.count, 30)
        XCTAssertEqual(Set(before.keys), Set(after.keys))
        for (name, value) in before where !MPTCPCounterGroup.gauges.contains(String(name.dropFirst("MPTcpExt".count))) {
            XCTAssertGreaterThanOrEqual(after[name] ?? 0, value, name)
        }
        XCTAssertGreaterThan(after["MPTcpExtMPCapableSYNTX"] ?? 0, before["MPTcpExtMPCapableSYNTX"] ?? 0)
        XCTAssertTrue(files["counters-change.txt"]?.contains("MPTcpExtMPCapableSYNTX +") ?? false, files["counters-change.txt"] ?? "")

        // Snapshots: one a second, the last with the lab's connection under the token ss shows.
        let snapshots = try (files["snapshots.jsonl"] ?? "").split(separator: "\n").map { try JSONObject(parsing: String($0)) }
        XCTAssertGreaterThanOrEqual(snapshots.count, 4)
        XCTAssertEqual(snapshots.first?.objects("connections").count, 0, "the connection started in the window")
        let last = try XCTUnwrap(snapshots.last)
        XCTAssertEqual(last.string("namespace"), ns)
        let tokens = Set(last.objects("connections").compactMap { $0.string("token") })
        let ssTokens = Set(try SSReport.connections(namespace: ns).sockets.compactMap(\.token))
        XCTAssertFalse(tokens.isEmpty)
        XCTAssertEqual(tokens, ssTokens)
        XCTAssertTrue(body(files["ss-mptcp-after.txt"], after: "ss -N \(ns) -ManiH")?.contains("token:") ?? false)

        // The recording replays, anywhere, to the very snapshots the bundle wrote as JSON.
        let replay = try runMptop(["replay", unpacked + "/recording.mptrec", "--json"])
        XCTAssertEqual(replay.status, 0, replay.stderr)
        XCTAssertEqual(replay.stdout, files["snapshots.jsonl"], "replay --json gives the bundle's snapshots byte for byte")

        // Events: the connection's creation and its join, under the same token.
        let events = try (files["events.jsonl"] ?? "").split(separator: "\n").map { try JSONObject(parsing: String($0)) }
        let created = events.first { $0.string("type") == "created" }
        XCTAssertNotNil(created, "\(events.map(\.values))")
        XCTAssertTrue(tokens.contains(created?.string("token") ?? "-"), "\(tokens)")

        // The diagnosis in both forms, of the same namespace.
        let diagnosis = try JSONObject(parsing: try XCTUnwrap(files["diagnose.json"]))
        XCTAssertEqual(diagnosis.string("namespace"), ns)
        XCTAssertEqual(diagnosis.objects("endpoints").count, endpoints.split(separator: "\n").count)
        XCTAssertTrue(files["diagnose.txt"]?.hasPrefix("MPTCP path manager in namespace '\(ns)': kernel") ?? false, files["diagnose.txt"] ?? "")
        _ = try session.finish()
    }

    /// As nobody, in its own namespace: the bundle is written with what an unprivileged user can
    /// read, and it says on stderr and in README.txt what it skipped.
    func testWithoutPrivilegesItCollectsWhatItCanAndSaysWhatNot() throws {
        try skipUnlessLabAvailable()
        guard let setpriv = ShellCommand.locate("setpriv") else { throw XCTSkip("setpriv (util-linux) is not installed") }
        XCTAssertEqual(chmod(dir, 0o1777), 0)
        let output = dir + "/nobody.tar.gz"
        let run = try ShellCommand.run(setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", try mptopPath(),
                                                 "report", "--seconds", "1", "--output", output], timeout: 30)
        XCTAssertEqual(run.status, 0, run.stderr)
        let skipped = "events.jsonl not collected: subscribing to MPTCP events needs CAP_NET_ADMIN (run as root)"
        XCTAssertTrue(run.stderr.contains("mptop report: \(skipped)\n"), run.stderr)
        XCTAssertTrue(run.stderr.contains("wrote \(output)"), run.stderr)
        var st = stat()
        XCTAssertEqual(stat(output, &st), 0)
        XCTAssertEqual(st.st_uid, 65534)
        let (_, files) = try unpack(output)
        for (name, text) in files { XCTAssertFalse(text.isEmpty, "\(name) is empty") }
        XCTAssertNil(files["events.jsonl"])
        let readme = try XCTUnwrap(files["README.txt"])
        XCTAssertTrue(readme.contains("as uid 65534, CAP_NET_ADMIN: no"), readme)
        XCTAssertTrue(readme.contains("  events.jsonl ") && readme.contains("needs CAP_NET_ADMIN (run as root)"), readme)
        for name in ["versions.txt", "sysctl.txt", "endpoints.txt", "snapshots.jsonl", "counters-before.txt", "diagnose.json"] {
            XCTAssertNotNil(files[name], "\(name) needs no privilege; README: \(readme)")
        }
    }

    func testRefusesAnExistingFileAndASymlink() throws {
        try skipUnlessLabAvailable()
        let existing = dir + "/existing.tar.gz"
        XCTAssertTrue(FileManager.default.createFile(atPath: existing, contents: Data("mine".utf8)))
        let refused = try runMptop(["report", "--seconds", "0", "--output", existing])
        XCTAssertEqual(refused.status, 1)
        XCTAssertEqual(refused.stderr, "mptop: will not write \(existing): it exists (--force replaces it)\n")
        XCTAssertEqual(try String(contentsOfFile: existing, encoding: .utf8), "mine")

        let target = dir + "/target"
        XCTAssertTrue(FileManager.default.createFile(atPath: target, contents: Data("keep".utf8)))
        let link = dir + "/link.tar.gz"
        XCTAssertEqual(symlink(target, link), 0)
        let viaLink = try runMptop(["report", "--seconds", "0", "--force", "--output", link])
        XCTAssertEqual(viaLink.status, 1)
        XCTAssertEqual(viaLink.stderr, "mptop: will not write \(link): it is a symlink\n")
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "keep")

        let forced = try runMptop(["report", "--seconds", "0", "--force", "--output", existing])
        XCTAssertEqual(forced.status, 0, forced.stderr)
        let (_, files) = try unpack(existing)
        XCTAssertTrue(files["README.txt"]?.contains("window: none (--seconds 0)") ?? false)
        XCTAssertTrue(files["README.txt"]?.contains("  events.jsonl ") ?? false, "named as not collected")
        XCTAssertNotNil(files["snapshots.jsonl"], "one snapshot even without a window")
    }

    /// Ctrl-C ends the window early: the bundle is still written, says so, and nothing is left in /tmp.
    func testInterruptEndsTheWindowAndStillWritesTheBundle() throws {
        try skipUnlessLabAvailable()
        let output = dir + "/interrupted.tar.gz"
        let leftoversBefore = temporaryDirectories()
        let report = Process()
        report.executableURL = URL(fileURLWithPath: try mptopPath())
        report.arguments = ["report", "--seconds", "60", "--output", output]
        report.standardError = FileHandle.nullDevice
        report.standardOutput = FileHandle.nullDevice
        try report.run()
        usleep(1_500_000)
        kill(report.processIdentifier, SIGINT)
        let started = Date()
        report.waitUntilExit()
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
        XCTAssertEqual(report.terminationStatus, 0)
        XCTAssertEqual(temporaryDirectories(), leftoversBefore, "the temporary directory is removed")
        let (_, files) = try unpack(output)
        XCTAssertTrue(files["README.txt"]?.contains("(ended early by Ctrl-C or a signal)") ?? false, files["README.txt"] ?? "")
    }

    /// The plug for more files of the window (the recording): a sink handed to the bundle sees
    /// every snapshot, writes its own file into the bundle, and the README names it.
    func testAnExtraSinkSeesTheWindowAndItsFileIsInTheBundle() throws {
        try skipUnlessLabAvailable()
        final class CountingSink: ReportWindowSink {
            let directory: PrivateDirectory
            var snapshots = 0
            init(_ directory: PrivateDirectory) { self.directory = directory }
            func take(_ snapshot: Snapshot) throws { snapshots += 1 }
            func take(_ batch: PathManagerEventBatch) throws {}
            func finish() throws -> ReportManifest.Entry {
                try directory.write("extra.txt", "snapshots \(snapshots)\n")
                return ReportManifest.Entry("extra.txt", "what the extra sink saw")
            }
        }
        let output = dir + "/extra.tar.gz"
        let summary = try ReportBundle.write(ReportBundleOptions(namespace: nil, seconds: 1, mptopVersion: "mptop test"), to: output,
                                             force: false, stop: StopSignal(), extraSinks: { [CountingSink($0)] })
        XCTAssertTrue(summary.manifest.collected.contains { $0.name == "extra.txt" })
        let (_, files) = try unpack(output)
        XCTAssertEqual(files["extra.txt"], "snapshots 2\n", "the samples at 0 and 1 s")
        XCTAssertEqual(files["snapshots.jsonl"]?.split(separator: "\n").count, 2, "the same samples as the bundle's own")
        let readme = files["README.txt"] ?? ""
        XCTAssertTrue(readme.contains("\n  extra.txt ") && readme.contains(" what the extra sink saw\n"), readme)
    }

    func testUsageErrorsAreOneLine() throws {
        try skipUnlessLabAvailable()
        let noOutput = try runMptop(["report"])
        XCTAssertEqual(noOutput.status, 2)
        XCTAssertEqual(noOutput.stderr.split(separator: "\n").count, 1, noOutput.stderr)
        XCTAssertTrue(noOutput.stderr.hasPrefix("mptop: ") && noOutput.stderr.contains("--output"), noOutput.stderr)
        let badSeconds = try runMptop(["report", "--seconds", "-1", "--output", dir + "/x.tar.gz"])
        XCTAssertEqual(badSeconds.status, 2, badSeconds.stderr)
        XCTAssertEqual(badSeconds.stderr.split(separator: "\n").count, 1, badSeconds.stderr)
        let badName = try runMptop(["report", "--netns", "../x", "--output", dir + "/x.tar.gz"])
        XCTAssertEqual(badName.status, 2, badName.stderr)
        let missing = try runMptop(["report", "--netns", "no-such-ns-report", "--output", dir + "/x.tar.gz"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.stderr, "mptop: no network namespace named 'no-such-ns-report' (see 'ip netns list')\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/x.tar.gz"))
        let help = try runMptop(["report", "--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("mptop report"), help.stdout)
    }
}
