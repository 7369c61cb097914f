import Foundation
import LabKit
import XCTest

/// `mptop traffic` itself, over a real lab: the numbers it reports and how it fails.
final class TrafficGeneratorTests: XCTestCase {
    func testFixedByteCountArrivesIntactOverBothPaths() throws {
        let lab = try makeLab()
        // 2 MB per connection over 70 Mbit/s: well under a second of traffic.
        let session = try TrafficSession(lab: lab, connections: 3, sendArguments: ["--bytes", "2000000"])
        XCTAssertEqual(session.sender.waitForExit(timeout: 20), 0, session.sender.diagnosis)
        let result = try session.finish()
        XCTAssertEqual(result.bytesSent, 3 * (2_000_000 + 16))
        XCTAssertEqual(result.closed.count, 3)
        for closed in result.closed {
            XCTAssertEqual(closed.number("bytes_received"), 2_000_016)
            XCTAssertEqual(closed.bool("intact"), true)
        }
        XCTAssertEqual(result.summary.number("bytes_received"), 3 * 2_000_016)
        XCTAssertEqual(result.summary.bool("intact"), true)
    }

    /// The demo's Ctrl-C and SIGTERM end its senders in the middle of a write: the streams the
    /// server saw end early, and short is not corrupted. SIGKILL, so no handler finishes a write.
    func testSenderKilledMidWriteLeavesStreamsShortButIntact() throws {
        let lab = try makeLab()
        let session = try TrafficSession(lab: lab, connections: 4)
        _ = try session.waitForSubflows(2)
        usleep(500_000)
        session.sender.send(signal: SIGKILL)
        XCTAssertNotNil(session.sender.waitForExit(timeout: 10), "the sender outlived SIGKILL")
        XCTAssertTrue(session.waitForClosed(count: 4, timeout: 15), session.server.diagnosis)
        let result = try session.finish()
        XCTAssertEqual(result.closed.count, 4)
        for closed in result.closed {
            XCTAssertGreaterThan(closed.number("bytes_received") ?? 0, 16, "\(closed.values)")
            XCTAssertEqual(closed.bool("intact"), true, "\(closed.values)")
            XCTAssertNil(closed.string("problem"), "\(closed.values)")
        }
        XCTAssertEqual(result.summary.bool("intact"), true, "\(result.summary.values)")
    }

    func testHoldOpensIdleConnectionsWithSubflows() throws {
        let lab = try makeLab()
        let session = try TrafficSession(lab: lab, connections: 50, sendArguments: ["--hold"])
        // Idle connections still get their second subflow (the header is their only data).
        let ss = try session.waitForSubflows(2)
        XCTAssertEqual(ss.subflowsByToken.count, 50)
        let result = try session.finish()
        XCTAssertEqual(result.bytesSent, 50 * 16)
        XCTAssertEqual(result.summary.number("connections"), 50)
        XCTAssertEqual(result.summary.bool("intact"), true)
    }

    func testConnectRefusedIsOneLineError() throws {
        let lab = try makeLab()
        let sender = try lab.spawn(in: lab.clientNamespace, executable: try mptopPath(),
                                   arguments: ["traffic", "send", "--to", "\(LabAddress.serviceIPv4):5299"])
        XCTAssertEqual(sender.waitForExit(timeout: 15), 1)
        XCTAssertEqual(sender.errorOutput, "mptop: cannot connect to \(LabAddress.serviceIPv4):5299: Connection refused\n")
    }

    /// Needs no lab (nothing gets far enough to open a socket), so it runs without root too.
    func testBadArgumentsAreUsageErrors() throws {
        for arguments in [["traffic", "send"], ["traffic", "send", "--to", "nowhere"],
                          ["traffic", "send", "--to", "198.18.0.1:1", "--bytes", "1", "--seconds", "1"],
                          ["traffic", "serve", "--listen", "[::1:5201"], ["traffic", "bogus"]] {
            let output = try runMptop(arguments)
            XCTAssertEqual(output.status, 2, "\(arguments): \(output.stderr)")
            XCTAssertEqual(output.stderr.split(separator: "\n").count, 1, "\(arguments): \(output.stderr)")
            XCTAssertTrue(output.stderr.hasPrefix("mptop: "), "\(arguments): \(output.stderr)")
        }
        let help = try runMptop(["traffic", "--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("mptop traffic serve --listen"))
    }

    /// `mptop traffic --help` lists the usage of serve and send as their own help gives it
    /// (the parent's is written out, so it must follow when an option changes).
    func testTrafficUsageIsServesAndSendsOwn() throws {
        func usage(_ arguments: [String]) throws -> [String] {
            let help = try runMptop(arguments + ["--help"])
            XCTAssertEqual(help.status, 0, "\(arguments): \(help.stderr)")
            let lines = help.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            guard let first = lines.firstIndex(where: { $0.hasPrefix("USAGE: ") }) else { return [] }
            let rest = lines[(first + 1)...].prefix { $0.hasPrefix("       ") }
            return ([lines[first].dropFirst(7)] + rest.map { $0.dropFirst(7) }).map(String.init)
        }
        let parent = try usage(["traffic"])
        XCTAssertEqual(parent, try usage(["traffic", "serve"]) + usage(["traffic", "send"]))
        XCTAssertEqual(parent.count, 2)
    }
}
