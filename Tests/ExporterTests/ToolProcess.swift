import Foundation
import XCTest

/// Runs the installed tools the exporter's output is checked with (promtool, systemd-analyze).
enum ToolProcess {
    /// The tool's path, or XCTSkip naming the Debian package that has it.
    static func locate(_ name: String, package: String) throws -> String {
        for dir in ["/usr/bin", "/usr/local/bin", "/bin"] where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
            return "\(dir)/\(name)"
        }
        throw XCTSkip("\(name) is not installed (Debian package \(package))")
    }

    /// Runs it to the end with `input` on stdin; stdout and stderr together.
    static func run(_ path: String, _ arguments: [String], input: String? = nil) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments
        let stdin = Pipe(), out = Pipe()
        p.standardInput = stdin
        p.standardOutput = out
        p.standardError = out
        try p.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, text)
    }
}

/// `promtool check metrics` on exposition text; skipped when promtool is not installed.
enum PromTool {
    static func checkMetrics(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try ToolProcess.run(try ToolProcess.locate("promtool", package: "prometheus"), ["check", "metrics"], input: text)
        XCTAssertEqual(result.status, 0, "promtool check metrics: \(result.output)", file: file, line: line)
    }
}
