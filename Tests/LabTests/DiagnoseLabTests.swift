import Foundation
import LabKit
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
}
