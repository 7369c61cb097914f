import XCTest
@testable import MPTCPKit

/// How the one process runner ends a run: the tool's status and output, a tool killed at its
/// timeout, and a tool that exits while a process it left behind still holds its output pipe
/// (what ShellCommand's Foundation.Process version waited out; `ip netns exec NS cmd &` does it).
final class ToolRunnerTests: XCTestCase {
    private func sh() throws -> String { try XCTUnwrap(ToolRunner.locate("sh")) }

    func testStatusAndBothStreamsAreKept() throws {
        let out = try ToolRunner.run(try sh(), ["-c", "echo out; echo err >&2; exit 3"])
        XCTAssertEqual(out.status, 3)
        XCTAssertEqual(out.stdout, "out\n")
        XCTAssertEqual(out.stderr, "err\n")
        XCTAssertFalse(out.timedOut)
    }

    func testATimeoutKillsTheToolAndSaysSo() throws {
        let out = try ToolRunner.run(try sh(), ["-c", "echo started; exec sleep 30"], timeout: 0.5)
        XCTAssertTrue(out.timedOut)
        XCTAssertEqual(out.status, 128 + SIGKILL)
        XCTAssertEqual(out.stdout, "started\n")
    }

    func testALeftBehindProcessHoldingThePipeDoesNotHoldTheRun() throws {
        let start = Clock.system.monotonicSeconds()
        let out = try ToolRunner.run(try sh(), ["-c", "sleep 6 & echo done"], timeout: 15)
        let took = Clock.system.monotonicSeconds() - start
        XCTAssertEqual(out.status, 0)
        XCTAssertEqual(out.stdout, "done\n")
        XCTAssertFalse(out.timedOut, "the tool itself exited")
        XCTAssertLessThan(took, 5, "waited for the left-behind sleep instead of the tool")
    }
}
