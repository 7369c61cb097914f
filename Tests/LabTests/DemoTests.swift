import Foundation
import LabKit
import XCTest

/// `mptop demo`: the scripted handover story and the interactive demo's keys.
final class DemoTests: XCTestCase {
    func testHandoverScriptMovesTrafficAndBack() throws {
        try skipUnlessLabAvailable()
        let started = Date()
        let out = try runMptop(["demo", "--script", "handover", "--json"], timeout: 90)
        XCTAssertLessThan(Date().timeIntervalSince(started), 60, "the script must finish in under a minute")
        XCTAssertEqual(out.status, 0, out.stderr)
        let report = try JSONObject(parsing: out.stdout)
        XCTAssertEqual(report.bool("intact"), true)
        let timeline = report.objects("timeline").map { point -> (t: Double, wifi: Double, cell: Double) in
            let rates = JSONObject(point["interfaces"] as? [String: Any] ?? [:])
            return (point.number("t") ?? -1, rates.number("wifi0") ?? -1, rates.number("cell0") ?? -1)
        }
        XCTAssertGreaterThan(timeline.count, 30)
        XCTAssertTrue(timeline.allSatisfy { $0.wifi >= 0 && $0.cell >= 0 }, "every point has both interfaces")
        let events = report.objects("events")
        XCTAssertEqual(events.compactMap { $0.string("type") }, ["start", "wifi_down", "wifi_up", "end"])
        let down = try XCTUnwrap(events[1].number("t")), up = try XCTUnwrap(events[2].number("t"))

        // Before: WiFi carries traffic. During: a stretch of at least 3 s where WiFi carries
        // almost nothing while cellular carries the transfer. After: WiFi carries traffic again.
        XCTAssertTrue(timeline.contains { $0.t < down && $0.wifi > 10e6 }, "\(timeline)")
        let handedOver = timeline.filter { $0.t > down && $0.t <= up && $0.wifi < 0.05 * ($0.wifi + $0.cell) && $0.cell > 5e6 }
        XCTAssertGreaterThanOrEqual(handedOver.count, 6, "cellular alone for 3 s: \(timeline)")
        XCTAssertTrue(timeline.contains { $0.t > up && $0.wifi > 10e6 }, "WiFi back: \(timeline)")

        // Nothing of the lab is left: its namespaces are gone and no veth reached the host.
        let lab = JSONObject(report["lab"] as? [String: Any] ?? [:])
        let namespaces = try ShellCommand.check("ip", ["netns", "list"])
        for key in ["client_namespace", "server_namespace"] {
            let name = try XCTUnwrap(lab.string(key))
            XCTAssertFalse(namespaces.contains(name), "\(name) left behind")
        }
        let links = try ShellCommand.check("ip", ["-o", "link", "show"])
        XCTAssertFalse(links.contains("wifi0") || links.contains("cell0"), links)
    }

    func testInteractiveDemoTakesWifiAway() throws {
        try skipUnlessLabAvailable()
        let screen = try makeScreen([try mptopPath(), "demo", "--interval", "0.5"], width: 120, height: 30)
        var text = screen.waitFor(timeout: 20, "the demo bar and traffic on both paths") {
            $0.contains("DEMO") && $0.contains("1 WiFi away") && $0.contains("intact") && Self.share("cell0", $0) != nil
                && $0.contains("Mb/s")
        }
        let before = try XCTUnwrap(Self.share("cell0", text), text)
        screen.send("1")
        text = screen.waitFor(timeout: 15, "cell0's share rising by 10 points") { (Self.share("cell0", $0) ?? 0) >= before + 10 }
        XCTAssertTrue(text.contains("1 WiFi back"), text)
        XCTAssertTrue(text.contains("intact"), text)
        screen.send("q")
        screen.waitFor(timeout: 20, "the demo's exit") { $0.contains("[mptop exited 0]") }
    }

    func testInteractiveDemoRemovesItsLabOnCtrlCAndSIGTERM() throws {
        try skipUnlessLabAvailable()
        for ending in ["C-c", "SIGTERM"] {
            let screen = try makeScreen([try mptopPath(), "demo"], width: 120, height: 30)
            let text = screen.waitFor(timeout: 20, "the demo") { $0.contains("DEMO") && $0.contains("intact") }
            let namespace = try XCTUnwrap(text.split(separator: " ").first { $0.hasPrefix("mptop-") && $0.hasSuffix("-cli") }, text)
            let stem = String(namespace.dropLast(4))
            XCTAssertTrue(try ShellCommand.check("ip", ["netns", "list"]).contains(stem))
            if ending == "C-c" {
                screen.send("C-c")
            } else {
                let pane = try screen.panePID()
                let child = try ShellCommand.check("pgrep", ["-P", pane.trimmingCharacters(in: .whitespacesAndNewlines)])
                kill(pid_t(child.split(separator: "\n")[0])!, SIGTERM)
            }
            screen.waitFor(timeout: 20, "the demo's exit on \(ending)") { $0.contains("[mptop exited 0]") }
            XCTAssertFalse(try ShellCommand.check("ip", ["netns", "list"]).contains(stem), "\(stem) left behind after \(ending)")
        }
    }

    func testSIGTERMWhileTheLabIsBeingBuiltEndsTheDemo() throws {
        try skipUnlessLabAvailable()
        let screen = try makeScreen([try mptopPath(), "demo"], width: 120, height: 30)
        var pid: Int32?
        XCTAssertTrue(waitUntil(timeout: 10) {
            pid = (try? ShellCommand.check("pgrep", ["-P", try screen.panePID()])).flatMap { Int32($0.split(separator: "\n").first ?? "") }
            return pid != nil
        }, "mptop demo did not start")
        let demo = try XCTUnwrap(pid)
        // Its namespaces appear as the build starts; the signal lands while the lab is built.
        XCTAssertTrue(try waitUntil(timeout: 10) { try ShellCommand.check("ip", ["netns", "list"]).contains("mptop-\(demo)-") })
        kill(demo, SIGTERM)
        screen.waitFor(timeout: 20, "the demo's exit on SIGTERM during the build") { $0.contains("[mptop exited 0]") }
        XCTAssertFalse(try ShellCommand.check("ip", ["netns", "list"]).contains("mptop-\(demo)-"), "the demo left its namespaces")
    }

    /// The percentage in an interface row of the dashboard ("cell0  ▓▓▓····  30% TX ...").
    static func share(_ interface: String, _ screen: String) -> Int? {
        for line in screen.split(separator: "\n") where line.hasPrefix(" \(interface) ") {
            let words = line.split(separator: " ")
            if let pct = words.first(where: { $0.hasSuffix("%") }), let n = Int(pct.dropLast()) { return n }
        }
        return nil
    }
}
