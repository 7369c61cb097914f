import Foundation
import LabKit
import XCTest

/// Bad input from a person: one line on stderr, exit 2, nothing on stdout, never a trap.
/// Needs no root and no MPTCP, so these run everywhere.
final class CommandLineErrorTests: XCTestCase {
    func testBadFlagsAndValuesAreOneLineUsageErrors() throws {
        let cases: [([String], String)] = [
            (["--bogus"], "unknown option '--bogus'"),
            (["--interval", "abc"], "--interval takes seconds"),
            (["--interval", "-1"], "--interval takes seconds"),
            (["--count", "0"], "--count takes a whole number"),
            (["--count"], "--count needs a value"),
            (["--once", "--count", "2"], "--once and --count"),
            (["stray"], "unexpected argument 'stray'"),
            (["demo", "--wifi-rate", "fast"], "--wifi-rate takes Mbit/s"),
            (["capture"], "needs a directory"),
        ]
        for (args, expected) in cases {
            let output = try runMptop(args)
            XCTAssertEqual(output.status, 2, "\(args): \(output.stderr)")
            XCTAssertEqual(output.stderr.split(separator: "\n").count, 1, "\(args): one line, got \(output.stderr)")
            XCTAssertTrue(output.stderr.hasPrefix("mptop: "), "\(args): \(output.stderr)")
            XCTAssertTrue(output.stderr.contains(expected), "\(args): expected '\(expected)' in \(output.stderr)")
            XCTAssertTrue(output.stdout.isEmpty, "\(args): nothing on stdout")
        }
    }

    func testHelpExplainsTheOptions() throws {
        let output = try runMptop(["--help"])
        XCTAssertEqual(output.status, 0)
        for word in ["--once", "--json", "--interval", "--count", "--netns", "demo"] {
            XCTAssertTrue(output.stdout.contains(word), "--help mentions \(word)")
        }
    }
}
