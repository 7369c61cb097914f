import Foundation
import LabKit
import MPTCPKit
import XCTest

/// Shared steps of the lab tests: skip when the machine cannot run a lab, build one that is torn
/// down whatever happens, run mptop and read its JSON.
extension XCTestCase {
    /// Throws XCTSkip with the reason when lab tests cannot run here, so they are reported as
    /// skipped, never as passed.
    func skipUnlessLabAvailable() throws {
        if let reason = LabEnvironment.skipReason() {
            throw XCTSkip(reason)
        }
        if ShellCommand.locate("ss") == nil {
            throw XCTSkip("'ss' (iproute2) is not installed")
        }
    }

    /// A fresh lab, closed when the test ends (also when it fails or throws).
    func makeLab(_ options: LabOptions = LabOptions()) throws -> Lab {
        try skipUnlessLabAvailable()
        Lab.cleanupStale()
        let lab = try Lab(options: options)
        addTeardownBlock { lab.close() }
        return lab
    }

    /// The built mptop executable.
    func mptopPath() throws -> String {
        try MptopBinary.path()
    }

    /// Runs mptop on the host with `arguments` (killed after `timeout` seconds).
    func runMptop(_ arguments: [String], timeout: TimeInterval = 15) throws -> ShellCommand.Output {
        let output = try ShellCommand.run(try mptopPath(), arguments, timeout: timeout)
        XCTAssertFalse(output.timedOut, "mptop \(arguments.joined(separator: " ")) ran past \(Int(timeout)) s")
        return output
    }

    /// Runs `mptop --once --json --netns NS` and returns the parsed report.
    func mptopOnce(namespace: String) throws -> JSONObject {
        let output = try runMptop(["--once", "--json", "--netns", namespace])
        guard output.status == 0 else {
            throw TestFailure("mptop --once failed (exit \(output.status)): \(output.stderr)")
        }
        return try JSONObject(parsing: output.stdout)
    }

    /// A fresh directory `PREFIX-PID-RANDOM` in the temporary directory, removed when the test ends.
    func temporaryDirectory(_ prefix: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    /// Runs `body` with the calling thread inside the network namespace `name`, and brings the
    /// thread back whatever `body` does (what it opens stays in `name`).
    func inNamespace<T>(_ name: String, _ body: () throws -> T) throws -> T {
        let home = try NetworkNamespace.Saved()
        try NetworkNamespace.enter(name)
        defer { try? home.restore() }
        return try body()
    }

    /// Polls `condition` every 100 ms until it holds or `timeout` seconds pass.
    func waitUntil(timeout: TimeInterval, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while Date() < deadline {
            if try condition() { return true }
            usleep(100_000)
        }
        return try condition()
    }
}

/// A test failure with a one-line message, for helpers that cannot assert.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A parsed JSON object with typed accessors; missing or mistyped keys read as nil.
struct JSONObject {
    let values: [String: Any]

    init(_ values: [String: Any]) { self.values = values }

    /// Parses one JSON object (e.g. one line of mptop's output).
    init(parsing text: String) throws {
        let data = Data(text.trimmingCharacters(in: .whitespacesAndNewlines).utf8)
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw TestFailure("not a JSON object: \(text.prefix(200))")
        }
        values = object
    }

    subscript(key: String) -> Any? { values[key] }

    func string(_ key: String) -> String? { values[key] as? String }

    func number(_ key: String) -> Double? {
        guard let value = values[key], !(value is NSNull) else { return nil }
        return (value as? NSNumber)?.doubleValue
    }

    func bool(_ key: String) -> Bool? { (values[key] as? NSNumber)?.boolValue }

    func objects(_ key: String) -> [JSONObject] {
        (values[key] as? [Any] ?? []).compactMap { $0 as? [String: Any] }.map(JSONObject.init)
    }

    /// Whether `key` is present with JSON null.
    func isNull(_ key: String) -> Bool { values[key] is NSNull }
}
