import Foundation
import LabKit
import XCTest

/// The dashboard's action keys and kernel panes at a real terminal: they do what the
/// subcommands do, and the kernel's events show up at once.
final class DashboardActionTmuxTests: XCTestCase {
    func testXClosesTheSelectedSubflowAndTheEventShowsAtOnce() throws {
        let lab = try makeLab()
        let session = try TrafficSession(lab: lab, connections: 1)
        _ = try session.waitForSubflows(2)
        let (token, _) = try onlyConnection(in: lab.clientNamespace)
        // A long refresh interval: what shows within a second comes from the event, not a poll.
        let screen = try makeScreen([try mptopPath(), "--netns", lab.clientNamespace, "--interval", "5"], width: 140, height: 36)
        screen.waitFor("the connection") { $0.contains("events live") && $0.contains(token) }
        screen.send("Enter")
        screen.waitFor("both subflows") { $0.contains("├─ wifi0") && $0.contains("└─ cell0") }
        screen.send("Down")
        screen.send("Down")
        screen.send("x")
        let dialog = screen.waitFor("the confirmation naming the subflow") { $0.contains("Close this subflow?") }
        XCTAssertTrue(dialog.contains("198.18.2.1:") && dialog.contains("cell0") && dialog.contains(token), dialog)

        let confirmed = Date()
        screen.send("y")
        let text = screen.waitFor(timeout: 3, "the subflow closed, dimmed with its reason") {
            $0.contains("closed ") && $0.contains("connection aborted") && $0.contains("1 subflow ")
        }
        XCTAssertLessThan(Date().timeIntervalSince(confirmed), 1.5, "shown within about a second (refresh is 5 s):\n\(text)")
        XCTAssertEqual(try SSReport.tcp(namespace: lab.clientNamespace).subflowsByToken.values.first?.count, 1, "ss agrees")

        screen.send("e")
        let log = screen.waitFor(timeout: 2, "the event in the log") { $0.contains("SUB_CLOSED") }
        XCTAssertTrue(log.contains(token) && log.contains("cell0"), log)
        screen.send("q")
        screen.waitFor("mptop's exit") { $0.contains("[mptop exited 0]") }
        try assertTransferIntact(session)
    }

    func testFailoverKeyRunsTheTestAndPutsEverythingBack() throws {
        try skipUnlessNftables()
        let lab = try makeLab()
        let session = try TrafficSession(lab: lab, connections: 1)
        _ = try session.waitForSubflows(2)
        let before = try namespaceState(lab, lab.clientNamespace)
        let screen = try makeScreen([try mptopPath(), "--netns", lab.clientNamespace], width: 120, height: 40)
        screen.waitFor("the connection") { $0.contains("1 connection ") }
        screen.send("f")
        screen.waitFor("the failover dialog") { $0.contains("Run a failover test?") && $0.contains("blackhole") }
        screen.send("y")
        screen.waitFor("the live panel") { $0.contains("Failover test: blackhole on wifi0") }
        let report = screen.waitFor(timeout: 20, "the report") { $0.contains("restored: yes") }
        XCTAssertTrue(report.contains("survived: yes"), report)
        XCTAssertEqual(try namespaceState(lab, lab.clientNamespace), before, "nftables, endpoints, limits, links, qdiscs")
        screen.send("Escape")
        screen.send("q")
        screen.waitFor("mptop's exit") { $0.contains("[mptop exited 0]") }
        try assertTransferIntact(session)
    }

    func testReadOnlySaysSoAndRefusesActions() throws {
        let lab = try makeLab()
        let session = try TrafficSession(lab: lab, connections: 1)
        _ = try session.waitForSubflows(2)
        let screen = try makeScreen([try mptopPath(), "--netns", lab.clientNamespace, "--readonly"], width: 120, height: 30)
        screen.waitFor("the read-only header") { $0.contains("read-only (--readonly)") && $0.contains("1 connection ") }
        screen.send("Enter")
        screen.send("Down")
        screen.send("x")
        screen.waitFor("the refusal") { $0.contains("read-only: --readonly") }
        XCTAssertEqual(try SSReport.tcp(namespace: lab.clientNamespace).subflowsByToken.values.first?.count, 2, "nothing closed")
        screen.send("c")
        screen.waitFor("the counters") { $0.contains("MPTCP counters") && $0.contains("MPJoinSynTx") }
        screen.send("d")
        screen.waitFor("the diagnosis") { $0.contains("FINDINGS") && $0.contains("limits: subflow") }
        screen.send("q")
        _ = try session.finish()
    }
}
