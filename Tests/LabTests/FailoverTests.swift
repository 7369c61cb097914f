import Foundation
import LabKit
import XCTest

/// `mptop failover` against real MPTCP traffic: the report, and that the namespace is left
/// exactly as it was, after a normal end, SIGTERM and SIGKILL.
final class FailoverTests: XCTestCase {
    /// The sender is paced to 8 Mbit/s so that cell0 (20 Mbit/s) can carry all of it: recovery
    /// ("the other paths carry half the earlier rate") is then reachable.
    private func startPacedTransfer(_ lab: Lab) throws -> TrafficSession {
        let session = try TrafficSession(lab: lab, sendArguments: ["--rate", "8M"])
        _ = try session.waitForSubflows(2)
        return session
    }

    func testBlackholeOnWifiMovesTrafficToCellReportsRecoveryAndRestoresEverything() throws {
        try skipUnlessNftables()
        let lab = try makeLab()
        let session = try startPacedTransfer(lab)
        let ns = lab.clientNamespace
        let (token, _) = try onlyConnection(in: ns)
        let state = try namespaceState(lab, ns)

        let out = try runMptop(["failover", "--token", token, "--interface", "wifi0", "--mode", "blackhole",
                                "--duration", "3", "--baseline", "2", "--json", "--yes", "--netns", ns], timeout: 30)
        XCTAssertEqual(out.status, 0, out.stderr)
        print("blackhole failover report: \(out.stdout)") // the measured recovery time, for the log
        let report = try JSONObject(parsing: out.stdout)
        XCTAssertEqual(report.bool("survived"), true)
        XCTAssertEqual(report.bool("restored"), true)
        let recovery = try XCTUnwrap(report.number("recovery_ms"), "no recovery: \(out.stdout)")
        XCTAssertGreaterThan(recovery, 0)
        XCTAssertLessThan(recovery, 3000)
        let rates = Dictionary(uniqueKeysWithValues: report.objects("interfaces").compactMap { i in i.string("name").map { ($0, i) } })
        let wifi = try XCTUnwrap(rates["wifi0"]), cell = try XCTUnwrap(rates["cell0"])
        let totalBefore = (wifi.number("before_bps") ?? 0) + (cell.number("before_bps") ?? 0)
        XCTAssertGreaterThan(totalBefore, 4_000_000, out.stdout)
        XCTAssertLessThan(wifi.number("during_bps") ?? .infinity, 0.1 * totalBefore, "wifi0 must be silent while blackholed: \(out.stdout)")
        XCTAssertGreaterThan(cell.number("during_bps") ?? 0, 0.5 * totalBefore, "cell0 must take over: \(out.stdout)")
        XCTAssertTrue(report.objects("events").contains { $0.string("event")?.contains("blackholed") == true })
        XCTAssertTrue(out.stderr.contains("wifi0 blackholed"), "progress lines go to stderr with --json: \(out.stderr)")

        XCTAssertEqual(try namespaceState(lab, ns), state, "the namespace must be exactly as before")
        try assertTransferIntact(session)
    }

    func testSIGTERMRestoresAndAKilledRunIsRestoredByTheNextStart() throws {
        try skipUnlessNftables()
        let lab = try makeLab()
        let session = try startPacedTransfer(lab)
        let ns = lab.clientNamespace
        let (token, _) = try onlyConnection(in: ns)
        let state = try namespaceState(lab, ns)
        let journals = try makeJournalDirectory()
        let arguments = ["failover", "--token", token, "--interface", "wifi0", "--mode", "blackhole",
                         "--duration", "60", "--baseline", "0.3", "--yes", "--netns", ns]

        for signal in [SIGTERM, SIGKILL] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["MPTOP_JOURNAL_DIR=\(journals)", try mptopPath()] + arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            try process.run()
            addTeardownBlock { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
            let blackholed = try waitUntil(timeout: 10) {
                try lab.run(in: ns, "nft", ["list", "ruleset"]).contains("mptop_failover_")
            }
            XCTAssertTrue(blackholed, "the failover never installed its table")
            let files = try FileManager.default.contentsOfDirectory(atPath: journals)
            XCTAssertEqual(files.count, 1, "a running test keeps one journal: \(files)")
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
            if signal == SIGTERM {
                XCTAssertEqual(try namespaceState(lab, ns), state, "SIGTERM must restore everything")
                XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: journals), [], "a restored run leaves no journal")
            } else {
                XCTAssertTrue(try lab.run(in: ns, "nft", ["list", "ruleset"]).contains("mptop_failover_"), "SIGKILL cannot restore")
                let journal = try String(contentsOfFile: journals + "/" + XCTUnwrap(files.first), encoding: .utf8)
                XCTAssertTrue(journal.contains("undo nft-table mptop_failover_"), journal)
                let next = try ShellCommand.run("env", ["MPTOP_JOURNAL_DIR=\(journals)", try mptopPath(), "--once", "--netns", ns])
                XCTAssertEqual(next.status, 0, next.stderr)
                XCTAssertTrue(next.stderr.contains("restored what a killed run (pid \(process.processIdentifier))"), next.stderr)
                XCTAssertEqual(try namespaceState(lab, ns), state, "the next start must restore everything")
                XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: journals), [])
            }
        }
        try assertTransferIntact(session)
    }

    func testBackupFailoverDemotesTheCellEndpointAndRestoresItsFlags() throws {
        let lab = try makeLab()
        let session = try startPacedTransfer(lab)
        let ns = lab.clientNamespace
        let (token, _) = try onlyConnection(in: ns)
        let state = try namespaceState(lab, ns)
        let out = try runMptop(["failover", "--token", token, "--interface", "cell0", "--mode", "backup",
                                "--duration", "1", "--baseline", "1", "--json", "--yes", "--netns", ns], timeout: 30)
        XCTAssertEqual(out.status, 0, out.stderr)
        let report = try JSONObject(parsing: out.stdout)
        XCTAssertEqual(report.bool("restored"), true)
        XCTAssertEqual(report.bool("survived"), true)
        XCTAssertTrue(out.stderr.contains("set to backup"), out.stderr)
        XCTAssertEqual(try namespaceState(lab, ns), state)
        try assertTransferIntact(session)
    }
}

/// `--all` (and `f` on an interface row): every connection with a subflow on the interface.
final class FailoverAllConnectionsTests: XCTestCase {
    func testBackupOfCellForAllConnectionsReportsEveryTokenAndRestores() throws {
        let lab = try makeLab()
        let session = try TrafficSession(lab: lab, connections: 2, sendArguments: ["--rate", "8M"])
        _ = try session.waitForSubflows(2)
        let ns = lab.clientNamespace
        let tokens = Set(try mptopOnce(namespace: ns).objects("connections").compactMap { $0.string("token") })
        XCTAssertEqual(tokens.count, 2)
        let state = try namespaceState(lab, ns)
        let out = try runMptop(["failover", "--all", "--interface", "cell0", "--mode", "backup",
                                "--duration", "1", "--baseline", "1", "--settle", "1", "--json", "--yes", "--netns", ns], timeout: 30)
        XCTAssertEqual(out.status, 0, out.stderr)
        let report = try JSONObject(parsing: out.stdout)
        XCTAssertTrue(report.isNull("token"))
        XCTAssertEqual(Set((report["tokens"] as? [String]) ?? []), tokens)
        XCTAssertEqual(report.bool("survived"), true)
        XCTAssertEqual(report.bool("restored"), true)
        XCTAssertEqual(try namespaceState(lab, ns), state)
        let both = try runMptop(["failover", "--all", "--token", "abc", "--interface", "cell0", "--mode", "backup", "--duration", "1", "--netns", ns])
        XCTAssertEqual(both.status, 2, both.stderr)
        try assertTransferIntact(session)
    }
}
