import Foundation
import LabKit
import XCTest

/// How mptop fails: one line naming the problem, non-zero exit.
final class MonitorErrorTests: XCTestCase {
    func testMissingNamespaceIsOneLineError() throws {
        try skipUnlessLabAvailable()
        let output = try runMptop(["--once", "--json", "--netns", "no-such-ns-xyz"])
        XCTAssertNotEqual(output.status, 0)
        let lines = output.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "stderr should be one line: \(output.stderr)")
        XCTAssertTrue(output.stderr.contains("no-such-ns-xyz"), "stderr should name the namespace: \(output.stderr)")
        XCTAssertTrue(output.stdout.isEmpty, "nothing on stdout: \(output.stdout)")
    }
}
