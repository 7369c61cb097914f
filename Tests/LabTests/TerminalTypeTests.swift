import Foundation
import LabKit
import XCTest

/// What mptop does with the terminal type it is given, and when the terminal goes away: a
/// one-line hint (never ncurses' own exit, which skips cleanup), a plain view where the cursor
/// cannot move, and the demo's lab removed whatever happened.
final class TerminalTypeTests: XCTestCase {
    override func tearDown() {
        // A demo killed before its cleanup (the bugs these tests guard) left its namespaces.
        Lab.cleanupStale()
        super.tearDown()
    }

    func testUnknownOrUnsetTermIsAOneLineHint() throws {
        for environment in [["TERM=no-such-terminal"], ["-u", "TERM"]] {
            let screen = try makeScreen(["env"] + environment + [try mptopPath()], width: 200, height: 10)
            let text = screen.waitFor("mptop's exit with \(environment)") { $0.contains("[mptop exited") }
            let lines = text.split(separator: "\n").filter { !$0.hasPrefix("[mptop exited") }
            XCTAssertEqual(lines.count, 1, text)
            XCTAssertTrue(lines.first?.hasPrefix("mptop: cannot draw the dashboard: ") == true, text)
            XCTAssertTrue(text.contains("set TERM") && text.contains("--once"), text)
            XCTAssertTrue(text.contains("[mptop exited 1]"), text)
        }
    }

    func testDemoWithUnknownTermLeavesNoLab() throws {
        try skipUnlessLabAvailable()
        // The shell prints its pid, then becomes mptop: the demo's namespaces carry that pid.
        let screen = try makeScreen(["sh", "-c", #"echo "pid $$"; exec env TERM=no-such-terminal "$0" demo"#, try mptopPath()],
                                    width: 200, height: 10)
        let text = screen.waitFor(timeout: 30, "the demo's exit") { $0.contains("[mptop exited") }
        XCTAssertTrue(text.contains("mptop: cannot draw the dashboard: terminal type 'no-such-terminal' is unknown"), text)
        XCTAssertTrue(text.contains("[mptop exited 1]"), text)
        let pid = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("pid ") }?.dropFirst(4), text)
        XCTAssertFalse(try ShellCommand.check("ip", ["netns", "list"]).contains("mptop-\(pid)-"), "the demo left its namespaces")
    }

    func testDumbTerminalGetsThePlainTextViewWithoutEscapes() throws {
        let lab = try makeLab()
        guard ShellCommand.locate("script") != nil else { throw XCTSkip("script (util-linux) is not installed") }
        for (command, expected) in [("\"$MPTOP\" --interval 0.5 --netns \"$NS\"", "MPTCP in namespace"),
                                    ("\"$MPTOP\" demo --interval 0.5", "mptop demo: phone namespace")] {
            // A pseudo-terminal of TERM=dumb, as in an Emacs shell buffer; SIGTERM after 4 s.
            let out = try ShellCommand.run("env", ["NS=\(lab.clientNamespace)", "MPTOP=\(try mptopPath())", "script", "-qec",
                                                   "TERM=dumb timeout 4 \(command)", "/dev/null"], timeout: 30)
            XCTAssertFalse(out.timedOut)
            XCTAssertTrue(out.stdout.contains("showing the plain text view"), out.stdout)
            XCTAssertTrue(out.stdout.contains(expected), out.stdout)
            XCTAssertTrue(out.stdout.contains("\nMPTCP in namespace"), "the reports: \(out.stdout)")
            XCTAssertFalse(out.stdout.contains("\u{1b}"), "escape sequences on a dumb terminal: \(out.stdout.debugDescription)")
        }
    }

    func testClosingTheDemoWindowRemovesItsLab() throws {
        try skipUnlessLabAvailable()
        let screen = try makeScreen([try mptopPath(), "demo"], width: 120, height: 30)
        let text = screen.waitFor(timeout: 20, "the demo") { $0.contains("DEMO") && $0.contains("intact") }
        let namespace = try XCTUnwrap(text.split(separator: " ").first { $0.hasPrefix("mptop-") && $0.hasSuffix("-cli") }, text)
        let stem = String(namespace.dropLast(4))
        let child = try ShellCommand.check("pgrep", ["-P", try screen.panePID()])
        let pid = try XCTUnwrap(Int32(child.split(separator: "\n").first ?? ""), child)
        // Closing the window: tmux hangs up the pane (SIGHUP), as a closed ssh session does.
        screen.close()
        XCTAssertTrue(waitUntil(timeout: 15) { !OutputErrorTests.isAlive(pid) }, "the demo kept running after SIGHUP")
        // Checked the moment the demo is gone: its own cleanup, not another run's cleanupStale.
        XCTAssertFalse(try ShellCommand.check("ip", ["netns", "list"]).contains(stem), "\(stem) left behind after SIGHUP")
    }

    func testDashboardStopsWhenItsTerminalGoesWithoutAHangupSignal() throws {
        let lab = try makeLab()
        // setsid: the pty is not mptop's controlling terminal, so closing it sends no SIGHUP;
        // the dashboard must notice the hung-up terminal itself rather than spin on it.
        let screen = try makeScreen(["setsid", try mptopPath(), "--netns", lab.clientNamespace, "--interval", "0.5"])
        screen.waitFor("the dashboard") { $0.contains("netns \(lab.clientNamespace)") }
        let child = try ShellCommand.check("pgrep", ["-P", try screen.panePID()])
        let pid = try XCTUnwrap(Int32(child.split(separator: "\n").first ?? ""), child)
        screen.close()
        XCTAssertTrue(waitUntil(timeout: 5) { !OutputErrorTests.isAlive(pid) }, "mptop \(pid) kept running on a hung-up terminal")
        if OutputErrorTests.isAlive(pid) { kill(pid, SIGKILL) }
    }
}
