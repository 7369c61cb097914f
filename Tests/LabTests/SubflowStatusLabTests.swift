import Foundation
import LabKit
import XCTest

/// A path that dies without a FIN or RST is shown as stalled, not healthy, and as active again
/// once it carries data.
final class SubflowStatusLabTests: XCTestCase {
    func testAPathWhoseFarEndDiesIsStalledThenActiveAgain() throws {
        let lab = try makeLab(LabOptions(wifiRate: 50_000_000, cellRate: 20_000_000))
        let session = try TrafficSession(lab: lab, connections: 1)
        _ = try session.waitForSubflows(2)
        var log: [String] = []
        func subflows() throws -> [String: JSONObject] {
            let report = try mptopOnce(namespace: lab.clientNamespace)
            let sfs = report.objects("connections").first?.objects("subflows") ?? []
            let byInterface = Dictionary(sfs.compactMap { s in s.string("interface").map { ($0, s) } }, uniquingKeysWith: { a, _ in a })
            log.append(byInterface.keys.sorted().map { name in
                let s = byInterface[name]!
                return "\(name) \(s.string("status") ?? "-") stalled_ms=\(s.number("stalled_ms").map { "\(Int($0))" } ?? "null")"
                    + " unacked=\(s.number("unacked").map { "\(Int($0))" } ?? "-") backoff=\(s.number("rto_backoff").map { "\(Int($0))" } ?? "-")"
                    + " last_ack_ms=\(s.number("last_ack_ms").map { "\(Int($0))" } ?? "-")"
                    + " last_sent_ms=\(s.number("last_data_sent_ms").map { "\(Int($0))" } ?? "-")"
                    + " last_recv_ms=\(s.number("last_data_recv_ms").map { "\(Int($0))" } ?? "-")"
                    + " rtt_ms=\(s.number("rtt_ms") ?? -1) tx=\(Int(s.number("tx_bps") ?? -1))"
            }.joined(separator: " | "))
            return byInterface
        }

        let screen = try makeScreen([try mptopPath(), "--netns", lab.clientNamespace, "--interval", "0.5"], width: 160, height: 30)
        screen.waitFor("the connection") { $0.contains("1 connection ") }
        screen.send("Enter")
        screen.waitFor("both subflows active") { $0.contains("├─ wifi0") && $0.components(separatedBy: " active").count >= 3 }

        let before = try subflows()
        XCTAssertEqual(before["wifi0"]?.string("status"), "active", log.joined(separator: "\n"))
        XCTAssertEqual(before["cell0"]?.string("status"), "active")
        XCTAssertNil(before["wifi0"]?.number("stalled_ms"), "stalled_ms is null unless stalled")

        let cut = Date()
        try lab.setFarEnd(.wifi, up: false)
        var stalled = false
        while Date().timeIntervalSince(cut) < 3 {
            let now = try subflows()
            if now["wifi0"]?.string("status") == "stalled" {
                stalled = true
                XCTAssertNotNil(now["wifi0"]?.number("stalled_ms"), "a stalled subflow says since when")
                XCTAssertEqual(now["cell0"]?.string("status"), "active", "cell0 carries on")
                break
            }
            usleep(250_000)
        }
        XCTAssertTrue(stalled, "wifi0 not stalled within 3 s of its far end going down:\n" + log.joined(separator: "\n"))
        // The dashboard says so too: the word on wifi0's row, the connection's summary, and a
        // stale RTT shown as stale.
        let text = screen.waitFor(timeout: 5, "wifi0 stalled on screen") { screen in
            screen.split(separator: "\n").contains { $0.contains("wifi0") && $0.contains("stalled") && $0.contains("—") }
        }
        XCTAssertTrue(text.contains("wifi0 stalled"), "the connection row names the stalled path:\n\(text)")
        // It stays stalled while the path is gone (the retransmission timer keeps backing off).
        for _ in 0..<4 {
            usleep(500_000)
            XCTAssertEqual(try subflows()["wifi0"]?.string("status"), "stalled", log.joined(separator: "\n"))
        }

        try lab.setFarEnd(.wifi, up: true)
        let back = Date()
        var active = false
        // The backed-off retransmission timer decides when TCP tries the path again.
        while Date().timeIntervalSince(back) < 25 {
            let now = try subflows()
            if now["wifi0"]?.string("status") == "active", (now["wifi0"]?.number("tx_bps") ?? 0) > 0 {
                active = true
                break
            }
            usleep(500_000)
        }
        XCTAssertTrue(active, "wifi0 not active again within 25 s of coming back:\n" + log.joined(separator: "\n"))
        screen.waitFor(timeout: 5, "wifi0 active again on screen") { screen in
            screen.split(separator: "\n").contains { $0.contains("├─ wifi0") && $0.contains("active") }
        }
        print("subflow status sequence:\n" + log.joined(separator: "\n"))
        let result = try session.finish()
        XCTAssertEqual(result.summary.bool("intact"), true)
    }
}
