import XCTest
@testable import MPTCPKit

/// How the one process runner ends a run: the tool's status and output, a tool killed at its
/// timeout, and a tool that exits while a process it left behind still holds its output pipe
/// (what ShellCommand's Foundation.Process version waited out; `ip netns exec NS cmd &` does it).
final class ToolRunnerTests: XCTestCase {
    private func sh() throws -> String { try XCTUnwrap(ToolRunner.locate("sh")) }

    /// As every mptop command does at start (main.swift): a tool that exits without reading its
    /// input makes the runner's write fail with EPIPE instead of killing the process.
    override func setUp() { signal(SIGPIPE, SIG_IGN) }

    func testStatusAndBothStreamsAreKept() throws {
        let out = try ToolRunner.run(try sh(), ["-c", "echo out; echo err >&2; exit 3"])
        XCTAssertEqual(out.status, 3)
        XCTAssertEqual(out.stdout, "out\n")
        XCTAssertEqual(out.stderr, "err\n")
        XCTAssertFalse(out.timedOut)
    }

    /// A tool that prints while it reads (cat; nft echoing a large ruleset) fills its stdout
    /// pipe before it has read all its input: the runner must read while it writes. Writing all
    /// input first deadlocked past 64 KiB, and the timeout never fired.
    func testLargeInputToAToolThatEchoesItDoesNotDeadlock() throws {
        let cat = try XCTUnwrap(ToolRunner.locate("cat"))
        let input = String(repeating: "add element inet mptop-test blackhole { 198.18.2.1 }\n", count: 20_000)
        let out = try ToolRunner.run(cat, [], input: input, timeout: 20)
        XCTAssertFalse(out.timedOut)
        XCTAssertEqual(out.status, 0)
        XCTAssertEqual(out.stdout.utf8.count, input.utf8.count)
        XCTAssertEqual(out.stdout, input)
    }

    /// A tool that exits without reading its input ends the run; the unread rest is dropped.
    func testAToolThatIgnoresItsInputStillEnds() throws {
        let out = try ToolRunner.run(try sh(), ["-c", "exit 4"], input: String(repeating: "x", count: 1 << 20), timeout: 20)
        XCTAssertFalse(out.timedOut)
        XCTAssertEqual(out.status, 4)
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
