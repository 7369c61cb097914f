import Foundation
import XCTest

/// What contrib/mptop-exporter ships: alert rules promtool accepts and whose alerts fire on the
/// series they are about (promtool test rules), and a systemd unit systemd accepts.
final class ContribTests: XCTestCase {
    static let contrib = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("contrib/mptop-exporter")

    func testAlertRulesPassPromtoolCheckAndTheirUnitTests() throws {
        let promtool = try tool("promtool", package: "prometheus")
        let check = try run(promtool, ["check", "rules", Self.contrib.appendingPathComponent("alerts.yml").path])
        XCTAssertEqual(check.status, 0, check.output)
        XCTAssertTrue(check.output.contains("SUCCESS: 4 rules found"), check.output)
        let test = try run(promtool, ["test", "rules", Self.contrib.appendingPathComponent("alerts.test.yml").path])
        XCTAssertEqual(test.status, 0, test.output)
    }

    func testTheSystemdUnitVerifies() throws {
        let analyze = try tool("systemd-analyze", package: "systemd")
        var unit = try String(contentsOf: Self.contrib.appendingPathComponent("mptop-exporter.service"), encoding: .utf8)
        XCTAssertTrue(unit.contains("CapabilityBoundingSet=CAP_NET_ADMIN\n"), "the least capabilities: CAP_NET_ADMIN only")
        // The unit names the installed path; verify its directives with a binary that exists.
        unit = unit.replacingOccurrences(of: "/usr/local/bin/mptop-exporter", with: "/bin/true")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mptop-unit-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("mptop-exporter.service")
        try unit.write(to: path, atomically: true, encoding: .utf8)
        let verify = try run(analyze, ["verify", path.path])
        XCTAssertEqual(verify.status, 0, verify.output)
        XCTAssertFalse(verify.output.contains("mptop-exporter.service"), "systemd complained: \(verify.output)")
    }

    private func tool(_ name: String, package: String) throws -> String {
        for dir in ["/usr/bin", "/usr/local/bin", "/bin"] where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
            return "\(dir)/\(name)"
        }
        throw XCTSkip("\(name) is not installed (Debian package \(package))")
    }

    private func run(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, text)
    }
}
