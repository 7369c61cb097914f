import Foundation
import LabKit
import MPTCPKit
import XCTest

/// A killed failover's journal against real namespaces and a real nftables blackhole: restored
/// in the namespace it was made in, whichever namespace the next mptop runs in; left alone under
/// --readonly; dropped once that namespace is gone; and never a way to run other nft commands.
final class JournalNamespaceTests: XCTestCase {
    /// A bare namespace of the test's own (no lab name: no lab cleanup may take it).
    private func makeNamespace() throws -> String {
        let name = "jtest-\(getpid())-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
        try ShellCommand.check("ip", ["netns", "add", name])
        addTeardownBlock { _ = try? ShellCommand.run("ip", ["netns", "delete", name]) }
        return name
    }

    /// `ip netns exec NS env MPTOP_JOURNAL_DIR=DIR mptop ARGS` (mptop is not told the namespace).
    private func mptopInside(_ ns: String, journals: String, _ arguments: [String]) throws -> ShellCommand.Output {
        try ShellCommand.run("ip", ["netns", "exec", ns, "env", "MPTOP_JOURNAL_DIR=\(journals)", try mptopPath()] + arguments, timeout: 20)
    }

    /// Starts a blackhole failover inside `ns` (via `ip netns exec`, no --netns), waits for its
    /// table and SIGKILLs it. Returns the killed pid.
    private func killedBlackhole(_ lab: Lab, token: String, journals: String) throws -> Int32 {
        let ns = lab.clientNamespace
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try XCTUnwrap(ShellCommand.locate("ip")))
        process.arguments = ["netns", "exec", ns, "env", "MPTOP_JOURNAL_DIR=\(journals)", try mptopPath(),
                             "failover", "--token", token, "--interface", "wifi0", "--mode", "blackhole",
                             "--duration", "60", "--baseline", "0.3", "--yes"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        addTeardownBlock { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        let blackholed = try waitUntil(timeout: 10) { try lab.run(in: ns, "nft", ["list", "ruleset"]).contains("mptop_failover_") }
        XCTAssertTrue(blackholed, "the failover never installed its table")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: journals).count, 1, "the killed run's journal")
        return process.processIdentifier
    }

    func testAKilledFailoverIsRestoredInItsOwnNamespaceNotWhereTheNextMptopRuns() throws {
        try skipUnlessNftables()
        let lab = try makeLab()
        let session = try TrafficSession(lab: lab, sendArguments: ["--rate", "8M"])
        _ = try session.waitForSubflows(2)
        let a = lab.clientNamespace
        let b = try makeNamespace()
        let journals = try makeJournalDirectory()
        let (token, _) = try onlyConnection(in: a)
        let stateA = try namespaceState(lab, a)
        let rulesetB = try lab.run(in: b, "nft", ["list", "ruleset"])

        let pid = try killedBlackhole(lab, token: token, journals: journals)
        XCTAssertTrue(try lab.run(in: a, "nft", ["list", "ruleset"]).contains("mptop_failover_"), "SIGKILL cannot restore")

        // --readonly, in every output mode: nothing changes, one line says how to restore.
        for mode in [["--once"], ["--once", "--json"], ["--count", "1"]] {
            let ro = try mptopInside(b, journals: journals, mode + ["--readonly", "--interval", "0"])
            XCTAssertEqual(ro.status, 0, ro.stderr)
            XCTAssertEqual(oneLineError(ro), "mptop: 1 undo journal(s) of killed runs left in \(journals) (failover blackhole on wifi0 of connection \(token)); "
                + "--readonly changes nothing: run mptop without --readonly to restore them")
            XCTAssertTrue(try lab.run(in: a, "nft", ["list", "ruleset"]).contains("mptop_failover_"), "--readonly \(mode) restored")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: journals).count, 1, "--readonly \(mode) dropped the journal")
        }

        // The next mptop runs in B; the blackhole is in A, and A is where it is undone.
        let next = try mptopInside(b, journals: journals, ["--once", "--interval", "0"])
        XCTAssertEqual(next.status, 0, next.stderr)
        XCTAssertEqual(oneLineError(next), "mptop: restored what a killed run (pid \(pid)) changed in namespace \(a): "
            + "failover blackhole on wifi0 of connection \(token)")
        XCTAssertEqual(try namespaceState(lab, a), stateA, "A must be exactly as before")
        XCTAssertEqual(try lab.run(in: b, "nft", ["list", "ruleset"]), rulesetB, "B is not touched")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: journals), [])

        // Killed again, then A goes away with its blackhole: the journal is dropped, saying so.
        let second = try killedBlackhole(lab, token: token, journals: journals)
        try assertTransferIntact(session)
        lab.close()
        let after = try mptopInside(b, journals: journals, ["--once", "--interval", "0"])
        XCTAssertEqual(after.status, 0, after.stderr)
        let line = oneLineError(after)
        XCTAssertTrue(line.hasPrefix("mptop: a killed run (pid \(second)) left an undo journal for namespace \(a), which no longer exists"), line)
        XCTAssertTrue(line.contains("which no longer exists") && line.contains("its changes went with it"), line)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: journals), [])
        XCTAssertEqual(try lab.run(in: b, "nft", ["list", "ruleset"]), rulesetB)
    }

    /// A namespace without a name, held only by a process: found through /proc/PID/ns/net,
    /// entered, and only there the run's own table is deleted.
    func testAJournalIsRestoredInANamespaceOnlyAProcessHolds() throws {
        try skipUnlessLabAvailable()
        try skipUnlessNftables()
        let ns = try makeNamespace()
        let table = "mptop_failover_99999999_1f"
        try ShellCommand.check("ip", ["netns", "exec", ns, "nft", "add", "table", "inet", table])
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: try XCTUnwrap(ShellCommand.locate("ip")))
        holder.arguments = ["netns", "exec", ns, "sleep", "60"]
        try holder.run()
        addTeardownBlock { if holder.isRunning { kill(holder.processIdentifier, SIGKILL) } }
        let inside = "/proc/\(holder.processIdentifier)/ns/net"
        XCTAssertTrue(waitUntil(timeout: 5) { NamespaceIdentity.of(path: inside) == NetworkNamespaceHandle.identity(named: ns) })
        let journals = try makeJournalDirectory()
        try writeJournal(try deadRunJournalHeader(netns: ns) + "undo nft-table \(table)\n", named: "journal-99999999_1f.txt", in: journals)
        try ShellCommand.check("ip", ["netns", "delete", ns]) // no name now; the sleep holds it
        let hostRules = try ShellCommand.check("nft", ["list", "ruleset"])

        let out = try ShellCommand.run("env", ["MPTOP_JOURNAL_DIR=\(journals)", try mptopPath(), "--once", "--interval", "0"])
        XCTAssertEqual(out.status, 0, out.stderr)
        let identity = try XCTUnwrap(NamespaceIdentity.of(path: inside))
        XCTAssertEqual(oneLineError(out), "mptop: restored what a killed run (pid 99999999) changed in network namespace \(identity): "
            + "failover blackhole on wifi0 of connection 00000abc")
        let left = try ShellCommand.check("nsenter", ["--net=\(inside)", "nft", "list", "ruleset"])
        XCTAssertFalse(left.contains(table), left)
        XCTAssertEqual(try ShellCommand.check("nft", ["list", "ruleset"]), hostRules, "the host's ruleset is not touched")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: journals), [])
    }

    /// The journal line from the hardening report, in every form a journal can take: nothing
    /// but a table of mptop's own run is ever deleted.
    func testAJournalCannotRunOtherNftCommands() throws {
        try skipUnlessLabAvailable()
        try skipUnlessNftables()
        let ns = try makeNamespace()
        try ShellCommand.check("ip", ["netns", "exec", ns, "nft", "add table inet filter; add table ip other"])
        let before = try ShellCommand.check("ip", ["netns", "exec", ns, "nft", "list", "ruleset"])
        let journals = try makeJournalDirectory()
        let evil = "undo nft-table filter;flush\truleset\n"
        let files = [
            "journal-host-99999999.txt": "mptop-journal 1\npid 99999999\nnamespace -\nwhat x\n" + evil,
            "journal-99999999_1f.txt": try deadRunJournalHeader(netns: ns) + evil,
        ]
        for (name, text) in files { try writeJournal(text, named: name, in: journals) }
        let out = try mptopInside(ns, journals: journals, ["--once", "--interval", "0"])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertEqual(try ShellCommand.check("ip", ["netns", "exec", ns, "nft", "list", "ruleset"]), before, out.stderr)
        XCTAssertEqual(out.stderr.components(separatedBy: "ignoring undo journal").count - 1, 2, out.stderr)
    }
}
