import Foundation
import XCTest

/// What contrib/mptop-exporter ships: alert rules promtool accepts and whose alerts fire on the
/// series they are about (promtool test rules), and a systemd unit systemd accepts.
final class ContribTests: XCTestCase {
    static let contrib = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("contrib/mptop-exporter")

    func testAlertRulesPassPromtoolCheckAndTheirUnitTests() throws {
        let promtool = try ToolProcess.locate("promtool", package: "prometheus")
        let check = try ToolProcess.run(promtool, ["check", "rules", Self.contrib.appendingPathComponent("alerts.yml").path])
        XCTAssertEqual(check.status, 0, check.output)
        XCTAssertTrue(check.output.contains("SUCCESS: 4 rules found"), check.output)
        let test = try ToolProcess.run(promtool, ["test", "rules", Self.contrib.appendingPathComponent("alerts.test.yml").path])
        XCTAssertEqual(test.status, 0, test.output)
    }

    func testTheSystemdUnitVerifies() throws {
        let analyze = try ToolProcess.locate("systemd-analyze", package: "systemd")
        var unit = try String(contentsOf: Self.contrib.appendingPathComponent("mptop-exporter.service"), encoding: .utf8)
        XCTAssertTrue(unit.contains("CapabilityBoundingSet=CAP_NET_ADMIN\n"), "the least capabilities: CAP_NET_ADMIN only")
        // The unit names the installed path; verify its directives with a binary that exists.
        unit = unit.replacingOccurrences(of: "/usr/local/bin/mptop-exporter", with: "/bin/true")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mptop-unit-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("mptop-exporter.service")
        try unit.write(to: path, atomically: true, encoding: .utf8)
        let verify = try ToolProcess.run(analyze, ["verify", path.path])
        XCTAssertEqual(verify.status, 0, verify.output)
        XCTAssertFalse(verify.output.contains("mptop-exporter.service"), "systemd complained: \(verify.output)")
    }
}
