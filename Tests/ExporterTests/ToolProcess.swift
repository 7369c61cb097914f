import Foundation
import MPTCPKit
import XCTest

/// Runs the installed tools the exporter's output is checked with (promtool, systemd-analyze),
/// through the project's one process runner.
enum ToolProcess {
    /// The tool's path, or XCTSkip naming the Debian package that has it.
    static func locate(_ name: String, package: String) throws -> String {
        guard let path = ToolRunner.locate(name) else { throw XCTSkip("\(name) is not installed (Debian package \(package))") }
        return path
    }

    /// Runs it to the end with `input` on stdin; stdout and stderr together.
    static func run(_ path: String, _ arguments: [String], input: String? = nil) throws -> (status: Int32, output: String) {
        let out = try ToolRunner.run(path, arguments, input: input ?? "", timeout: 60)
        return (out.status, out.stdout + out.stderr)
    }
}

/// `promtool check metrics` on exposition text; skipped when promtool is not installed.
enum PromTool {
    static func checkMetrics(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try ToolProcess.run(try ToolProcess.locate("promtool", package: "prometheus"), ["check", "metrics"], input: text)
        XCTAssertEqual(result.status, 0, "promtool check metrics: \(result.output)", file: file, line: line)
    }
}
