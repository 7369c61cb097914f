import Foundation
import LabKit
import XCTest

/// `--netns` of every command refuses a name `ip netns` would not make, with one escaped line
/// and exit 2, before entering or echoing anything. Needs no root.
final class NamespaceNameTests: XCTestCase {
    func testEveryCommandRefusesABadNamespaceName() throws {
        let commands: [[String]] = [["--once"], ["events"], ["diagnose"], ["capture", NSTemporaryDirectory()],
                                    ["report", "--output", NSTemporaryDirectory() + "mptop-never-written.tar.gz"],
                                    ["close", "--yes"], ["backup", "--on"], ["failover", "--yes"]]
        let names = ["evil\nmptop: restored everything", String(repeating: "n", count: 300), "..", "a/b"]
        for command in commands {
            for name in names {
                let output = try runMptop(command + ["--netns", name])
                let what = "\(command) --netns \(name.debugDescription.prefix(40))"
                XCTAssertEqual(output.status, 2, "\(what): \(output.stderr)")
                XCTAssertEqual(output.stderr.split(separator: "\n", omittingEmptySubsequences: false).count, 2, "\(what): one line: \(output.stderr)")
                XCTAssertTrue(output.stderr.hasPrefix("mptop: invalid namespace name '"), "\(what): \(output.stderr)")
                XCTAssertLessThan(output.stderr.count, 120, "\(what): bounded: \(output.stderr)")
            }
        }
    }
}
