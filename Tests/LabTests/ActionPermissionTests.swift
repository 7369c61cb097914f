import Foundation
import LabKit
import XCTest

/// Without CAP_NET_ADMIN every action refuses up front in one line, before touching anything.
final class ActionPermissionTests: XCTestCase {
    func testActionsWithoutNetAdminGiveAOneLineReason() throws {
        var prefix: [String] = []
        if geteuid() == 0 {
            // Root: drop CAP_NET_ADMIN from the bounding set, so the exec'd mptop lacks it.
            guard let setpriv = ShellCommand.locate("setpriv") else { throw XCTSkip("setpriv (util-linux) is not installed") }
            prefix = [setpriv, "--bounding-set", "-net_admin"]
        }
        let commands = [
            ["close", "--token", "abc", "--subflow", "198.18.2.1:4000", "--yes"],
            ["backup", "--endpoint", "1", "--on", "--yes"],
            ["failover", "--token", "abc", "--interface", "wifi0", "--mode", "blackhole", "--duration", "1", "--yes"],
        ]
        for args in commands {
            let full = prefix + [try mptopPath()] + args
            let out = try ShellCommand.run(full[0], Array(full.dropFirst()))
            XCTAssertEqual(out.status, 1, "\(args): \(out.stderr)")
            XCTAssertEqual(out.stderr.split(separator: "\n").count, 1, out.stderr)
            XCTAssertTrue(out.stderr.contains("needs CAP_NET_ADMIN") && out.stderr.contains("nothing was changed"), out.stderr)
        }
    }
}
