import Foundation
import LabKit
import MPTCPKit
import XCTest

/// The API the dashboard's keys use (`ActionExecutor`, `FailoverTest` driven by samples),
/// in-process against a lab: it must do what the subcommands do.
final class ActionExecutorTests: XCTestCase {
    /// Enters the lab's client namespace for the rest of the test (sockets stay in the
    /// namespace they were opened in, so everything is opened after this).
    private func enter(_ lab: Lab) throws {
        let home = try NetworkNamespace.Saved()
        try NetworkNamespace.enter(lab.clientNamespace)
        addTeardownBlock { try? home.restore() }
    }

    func testKeysPlanNameTheSubflowAndExecuteLikeTheSubcommands() throws {
        let lab = try makeLab()
        let session = try TrafficSession(lab: lab)
        _ = try session.waitForSubflows(2)
        try enter(lab)
        let sampler = try Sampler(options: .init(processes: false))
        let snapshot = try sampler.sample()
        let connection = try XCTUnwrap(snapshot.connections.first)
        let token = try XCTUnwrap(connection.token)
        let cell = try XCTUnwrap(connection.subflows.first { $0.interfaceName == "cell0" })
        let executor = ActionExecutor(pathManager: .kernel)
        XCTAssertNil(executor.readOnlyReason)
        XCTAssertEqual(ActionExecutor(readOnly: true).readOnlyReason, "read-only (--readonly)")

        // b on the cell0 subflow: the in-kernel PM changes its endpoint, and the dialog says so.
        let backup = try executor.plan(.toggleSubflowBackup(connection: connection.id, local: cell.local), snapshot: snapshot,
                                       interfaces: sampler.interfaceTable)
        XCTAssertTrue(backup.description.contains("every connection using it"), backup.description)
        XCTAssertThrowsError(try ActionExecutor(readOnly: true).execute(backup)) { XCTAssertTrue("\($0)".contains("read-only")) }
        _ = try executor.execute(backup)
        XCTAssertTrue(try PathManagerClient().endpoints().first { $0.address?.description == "198.18.2.1" }?.flags.contains(.backup) == true)
        // b on the cell0 interface: both its endpoints (IPv4 and IPv6) go one way together.
        let all = try executor.plan(.toggleInterfaceBackup(interface: "cell0"), snapshot: try sampler.sample(), interfaces: sampler.interfaceTable)
        _ = try executor.execute(all)
        XCTAssertTrue(try PathManagerClient().endpoints().allSatisfy { $0.flags.contains(.backup) }, "all backup")
        let back = try executor.plan(.toggleInterfaceBackup(interface: "cell0"), snapshot: try sampler.sample(), interfaces: sampler.interfaceTable)
        _ = try executor.execute(back)
        XCTAssertTrue(try PathManagerClient().endpoints().allSatisfy { !$0.flags.contains(.backup) }, "toggled back")

        // x on the cell0 subflow.
        let close = try executor.plan(.closeSubflow(connection: connection.id, local: cell.local), snapshot: try sampler.sample(),
                                      interfaces: sampler.interfaceTable)
        XCTAssertEqual(close.description, "close subflow \(cell.local) -> \(cell.remote) on cell0 of connection \(hex(token))")
        XCTAssertNil(close.secondConfirmation)
        guard case .done(let line) = try executor.execute(close) else { return XCTFail("close gives a line") }
        XCTAssertTrue(line.contains("SOCK_DESTROY"), line)
        let gone = try waitUntil(timeout: 2) { try sampler.sample().connections.first?.subflows.count == 1 }
        XCTAssertTrue(gone)

        // x on the last one: a second confirmation, and nothing happens without it.
        let wifi = try XCTUnwrap(try sampler.sample().connections.first?.subflows.first)
        let last = try executor.plan(.closeSubflow(connection: connection.id, local: wifi.local), snapshot: try sampler.sample(),
                                     interfaces: sampler.interfaceTable)
        XCTAssertTrue(last.secondConfirmation?.contains("LAST subflow") == true)
        XCTAssertThrowsError(try executor.execute(last))
        XCTAssertEqual(try sampler.sample().connections.first?.subflows.count, 1)
        try assertTransferIntact(session)
    }

    func testFailoverDrivenByAnEventLoopStopsAndRestoresOnRequest() throws {
        try skipUnlessNftables()
        let lab = try makeLab()
        let session = try TrafficSession(lab: lab, sendArguments: ["--rate", "8M"])
        _ = try session.waitForSubflows(2)
        let rulesetBefore = try lab.run(in: lab.clientNamespace, "nft", ["list", "ruleset"])
        try enter(lab)
        let sampler = try Sampler(options: .init(processes: false))
        let snapshot = try sampler.sample()
        let token = try XCTUnwrap(snapshot.connections.first?.token)
        let journals = NSTemporaryDirectory() + "mptop-exec-journal-\(getpid())"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: journals) }
        let config = FailoverConfig(target: .token(token), interface: "wifi0", mode: .blackhole, duration: 30, baseline: 0.5,
                                    namespace: lab.clientNamespace, pathManager: .kernel, journalDirectory: journals)
        let planned = try ActionExecutor().plan(.failover(config), snapshot: snapshot, interfaces: sampler.interfaceTable)
        guard case .failover(let test) = try ActionExecutor().execute(planned) else { return XCTFail("a failover test") }
        // The dashboard's loop: one observe per sample; here "q" comes 1.5 s after the failure.
        var failedAt: Date?
        while !test.isFinished {
            let events = test.observe(try sampler.sample())
            if events.contains(where: { $0.text.contains("blackholed") }) { failedAt = Date() }
            if let failedAt, Date().timeIntervalSince(failedAt) > 1.5 { test.stop(reason: "q pressed") }
            usleep(100_000)
        }
        let report = test.report
        XCTAssertNotNil(failedAt, "the failure was applied")
        XCTAssertTrue(report.restored)
        XCTAssertTrue(report.survived)
        XCTAssertTrue(report.events.contains { $0.text == "stopped: q pressed" })
        XCTAssertEqual(try lab.run(in: lab.clientNamespace, "nft", ["list", "ruleset"]), rulesetBefore)
        XCTAssertEqual((try? FileManager.default.contentsOfDirectory(atPath: journals)) ?? [], [])
        try assertTransferIntact(session)
    }
}
