import Foundation
import LabKit
import MPTCPKit
import XCTest

/// `mptop diagnose` names what stops extra subflows in a real namespace.
final class DiagnoseLabTests: XCTestCase {
    private func diagnose(_ lab: Lab) throws -> JSONObject {
        let output = try runMptop(["diagnose", "--json", "--netns", lab.clientNamespace])
        guard output.status == 0 else { throw TestFailure("mptop diagnose failed (exit \(output.status)): \(output.stderr)") }
        return try JSONObject(parsing: output.stdout)
    }

    func testNamesTheMissingSubflowEndpoint() throws {
        let lab = try makeLab(LabOptions(subflowEndpoint: false))
        let session = try TrafficSession(lab: lab, sendArguments: ["--rate", "2M"])
        _ = try session.waitForSubflows(1)
        let report = try diagnose(lab)
        XCTAssertEqual(report.string("path_manager"), "kernel")
        XCTAssertEqual(report.objects("endpoints").count, 0)
        let findings = report.objects("findings")
        let missing = findings.first { $0.string("code") == "no_subflow_endpoint" }
        XCTAssertEqual(missing?.string("severity"), "problem")
        XCTAssertTrue(missing?.string("message")?.contains("'subflow' flag") ?? false, "\(findings.map(\.values))")
        // And the connection that suffers from it, by the token mptop reports for it.
        let token = try mptopOnce(namespace: lab.clientNamespace).objects("connections").first?.string("token")
        let single = findings.first { $0.string("code") == "single_subflow" }
        XCTAssertNotNil(token)
        XCTAssertEqual(single?.string("token"), token)

        let text = try runMptop(["diagnose", "--netns", lab.clientNamespace])
        XCTAssertTrue(text.stdout.contains("endpoints: none"), text.stdout)
        XCTAssertTrue(text.stdout.contains("no endpoint has the 'subflow' flag"), text.stdout)
    }

    func testNamesASubflowLimitOfZero() throws {
        let lab = try makeLab(LabOptions(subflowLimit: 0))
        let report = try diagnose(lab)
        let limits = try XCTUnwrap(report["limits"] as? [String: Any])
        XCTAssertEqual((limits["subflows"] as? NSNumber)?.intValue, 0)
        let endpoints = report.objects("endpoints")
        XCTAssertEqual(endpoints.compactMap { $0.string("interface") }, ["cell0", "cell0"])
        let first = report.objects("findings").first
        XCTAssertEqual(first?.string("code"), "subflow_limit_zero")
        XCTAssertTrue(first?.string("message")?.contains("subflow limit is 0") ?? false)
        XCTAssertFalse(report.objects("findings").contains { $0.string("code") == "no_subflow_endpoint" })
    }

    func testNamesAnEndpointOnAnInterfaceThatIsDown() throws {
        let lab = try makeLab()
        try lab.setLink(.cell, up: false)
        let codes = try diagnose(lab).objects("findings").compactMap { $0.string("code") }
        XCTAssertEqual(codes.filter { $0 == "endpoint_interface_down" }.count, 2, "\(codes)")
    }

    /// A server whose subflow limit is 0 takes the join's handshake and then drops it: the
    /// server's diagnosis counts the rejected join, the client's (with its events) names it.
    func testNamesAPeerThatRejectsJoins() throws {
        let lab = try makeLab()
        try ShellCommand.check("ip", ["-n", lab.serverNamespace, "mptcp", "limits", "set", "subflow", "0", "add_addr_accepted", "0"])
        let saved = try NetworkNamespace.Saved()
        try NetworkNamespace.enter(lab.clientNamespace)
        defer { try? saved.restore() }
        let source = try PathManagerEventSource()
        let session = try TrafficSession(lab: lab, sendArguments: ["--rate", "2M"])
        _ = try session.waitForSubflows(1)
        var log = PathManagerEventLog()
        _ = waitUntil(timeout: 3) {
            log.append(source.drain())
            return log.events.contains { $0.kind == .subflowClosed }
        }
        XCTAssertTrue(log.events.contains { $0.kind == .subflowClosed }, "the rejected join closed: \(log.events.map(\.kind.name))")
        let snapshot = try Sampler(options: .init(processes: false)).sampleWithoutRates()
        let diagnosis = Diagnosis.run(snapshot: snapshot, events: log.events)
        let token = try XCTUnwrap(snapshot.connections.first?.token)
        let single = diagnosis.findings(for: token).first { $0.code == "single_subflow" }
        XCTAssertTrue(single?.message.contains("closed it at once") ?? false, "\(diagnosis.findings.map(\.message))")

        let server = try runMptop(["diagnose", "--json", "--netns", lab.serverNamespace])
        let codes = try JSONObject(parsing: server.stdout).objects("findings").compactMap { $0.string("code") }
        XCTAssertTrue(codes.contains("joins_rejected"), "\(codes)")
        XCTAssertEqual(codes.first, "subflow_limit_zero")
    }

    func testMissingNamespaceAndBadFlags() throws {
        try skipUnlessLabAvailable()
        let missing = try runMptop(["diagnose", "--netns", "no-such-ns-diag"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.stderr, "mptop: no network namespace named 'no-such-ns-diag' (see 'ip netns list')\n")
        XCTAssertTrue(missing.stdout.isEmpty)
        let bad = try runMptop(["diagnose", "--netns"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("--netns needs a value"), bad.stderr)
        let help = try runMptop(["diagnose", "--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("USAGE: mptop diagnose"))
    }
}
