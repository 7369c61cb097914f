import Foundation
import LabKit
import XCTest

/// `mptop record` on a real transfer during which wifi0's far end dies, replayed by a user
/// with no privileges at all: the same snapshots, and the cut is in them.
final class RecordReplayLabTests: XCTestCase {
    /// Records 8 s at 0.5 s with --json (what `mptop --json` printed live), taking wifi0's far end
    /// down after 3 s. Returns the live lines and a copy of the recording anyone may read.
    func recordHandover() throws -> (live: [String], copy: String, stderr: String) {
        let lab = try makeLab(LabOptions(wifiRate: 50_000_000, cellRate: 20_000_000))
        let session = try TrafficSession(lab: lab, connections: 1)
        _ = try session.waitForSubflows(2)
        let dir = NSTemporaryDirectory() + "mptop-record-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/handover.mptrec"

        let cut = DispatchWorkItem { try? lab.setFarEnd(.wifi, up: false) }
        DispatchQueue.global().asyncAfter(deadline: .now() + 3, execute: cut)
        let output = try runMptop(["record", path, "--duration", "8", "--interval", "0.5", "--netns", lab.clientNamespace, "--json"], timeout: 30)
        cut.wait()
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stderr.contains("bytes per connection-sample"), output.stderr)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600, "a recording names processes and addresses")

        let copy = dir + "/copy.mptrec"
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: copy)
        return (output.stdout.split(separator: "\n").map(String.init), copy, output.stderr)
    }

    /// `mptop ARGS` as nobody, with no capabilities and no supplementary groups.
    func runAsNobody(_ arguments: [String]) throws -> ShellCommand.Output {
        guard ShellCommand.locate("setpriv") != nil else { throw XCTSkip("setpriv (util-linux) is not installed") }
        return try ShellCommand.run("setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", try mptopPath()] + arguments, timeout: 30)
    }

    func testAReplayAsNobodyPrintsTheRecordedSnapshotsAndShowsTheCut() throws {
        let (live, copy, _) = try recordHandover()
        XCTAssertGreaterThanOrEqual(live.count, 15, "8 s at 0.5 s")
        let replay = try runAsNobody(["replay", copy, "--json"])
        XCTAssertEqual(replay.status, 0, replay.stderr)
        XCTAssertEqual(replay.stderr, "")
        let replayed = replay.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(replayed.count, live.count)
        XCTAssertEqual(replayed, live, "byte for byte what mptop --json printed live")

        // Tokens and per-interface bytes, read back as JSON: the handover is in the recording.
        let samples = try replayed.map { try JSONObject(parsing: $0) }
        let tokens = Set(samples.flatMap { $0.objects("connections").compactMap { $0.string("token") } })
        XCTAssertEqual(tokens.count, 1, "one connection throughout")
        func bytes(_ s: JSONObject, _ name: String) -> Double { s.objects("interfaces").first { $0.string("name") == name }?.number("bytes") ?? -1 }
        let start = samples.first!.number("time")!
        let before = samples.filter { $0.number("time")! - start < 2.5 }
        let after = samples.filter { $0.number("time")! - start > 5 }
        XCTAssertTrue(zip(before, before.dropFirst()).contains { bytes($1, "wifi0") > bytes($0, "wifi0") }, "wifi0 carried data before the cut")
        XCTAssertGreaterThanOrEqual(after.count, 4)
        XCTAssertEqual(Set(after.map { bytes($0, "wifi0") }).count, 1, "after the cut wifi0's acked bytes stand still")
        XCTAssertGreaterThan(bytes(after.last!, "cell0"), bytes(after.first!, "cell0"), "cell0 carries on")
        let stalled = after.last!.objects("connections").first?.objects("subflows").first { $0.string("interface") == "wifi0" }
        XCTAssertEqual(stalled?.string("status"), "stalled")

        // A window of it: exactly those lines, the first one with its rates.
        let window = try runAsNobody(["replay", copy, "--json", "--from", "1.75", "--to", "4.25"])
        XCTAssertEqual(window.status, 0, window.stderr)
        let expected = zip(live, samples).filter { (1.75...4.25).contains($1.number("time")! - start) }.map(\.0)
        XCTAssertEqual(window.stdout.split(separator: "\n").map(String.init), expected)
    }

    func testTheReplayDashboardShowsTheHandoverSeeksAndPauses() throws {
        let (_, copy, _) = try recordHandover()
        // The person's saved settings, as the live dashboard takes them (a folder nobody can read).
        let config = URL(fileURLWithPath: copy).deletingLastPathComponent().path + "/config"
        try FileManager.default.createDirectory(atPath: config + "/mptop", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let saved = "sort = token\ninterval = 5\n"
        try saved.write(toFile: config + "/mptop/config", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: config + "/mptop/config")
        let screen = try makeScreen(["/usr/bin/env", "XDG_CONFIG_HOME=" + config,
                                     "setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", try mptopPath(), "replay", copy],
                                    width: 150, height: 30)
        let start = screen.waitFor("the replay header") { $0.contains("REPLAY") && $0.contains("1 connection ") }
        XCTAssertTrue(start.contains("sorted by token"), "the saved sort: \(start)")
        XCTAssertFalse(start.contains("every 5 s"), "the recording's interval, not the saved one: \(start)")
        XCTAssertTrue(screen.capture().contains("read-only (replay)"))
        // At the start both paths carry data; at the end wifi0 carries nothing and cell0 all.
        screen.send("p")
        screen.waitFor("paused") { $0.contains("PAUSED") }
        screen.send("{")
        screen.waitFor("the start") { $0.contains(" 0:00 / 0:0") }
        screen.send(".", ".", ".")
        screen.waitFor("wifi0 carrying at the start") { Self.rate("wifi0", $0).map { $0 > 0 } ?? false }
        // The first step can satisfy that wait while the other two are still to be drawn: the
        // paused screen is taken once it holds still (a replay that kept playing never does,
        // and then fails the comparison below all the same).
        var paused = screen.capture()
        for _ in 0..<20 {
            usleep(300_000)
            let now = screen.capture()
            if now == paused { break }
            paused = now
        }
        usleep(1_500_000)
        XCTAssertEqual(Self.header(screen.capture()), Self.header(paused), "paused: the recorded time stands still")
        screen.send("}")
        screen.waitFor("the end, after the handover") { screen in
            Self.rate("wifi0", screen) == 0 && (Self.rate("cell0", screen) ?? 0) > 0 && screen.contains("stalled")
        }
        screen.send("[")
        screen.waitFor("10 s back is the start again") { $0.contains(" 0:00 / 0:0") }
        screen.send("x")
        screen.waitFor("actions refused") { $0.contains("read-only: a replay has nothing live to act on") }
        screen.send("p")
        screen.waitFor("playing again") { !$0.contains("PAUSED") }
        screen.waitFor(timeout: 15, "played to the end") { $0.contains("end of the recording") }
        screen.send("q")
        screen.waitFor("exit") { $0.contains("[mptop exited 0]") }
        XCTAssertEqual(try String(contentsOfFile: config + "/mptop/config", encoding: .utf8), saved, "a replay does not save settings")
    }

    static func header(_ screen: String) -> String { String(screen.split(separator: "\n").first ?? "") }

    /// The TX rate on an interface row of the interface pane, in bits/s ("TX 19Mb/s").
    static func rate(_ interface: String, _ screen: String) -> Double? {
        guard let row = screen.split(separator: "\n").first(where: { $0.hasPrefix(" \(interface) ") }),
              let tx = row.range(of: "TX ") else { return nil }
        let text = row[tx.upperBound...].prefix { !$0.isWhitespace }
        let units: [(String, Double)] = [("Gb/s", 1e9), ("Mb/s", 1e6), ("kb/s", 1e3), ("b/s", 1)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            return Double(text.dropLast(suffix.count)).map { $0 * scale }
        }
        return nil
    }
}
