import Foundation
import LabKit
import XCTest

/// The real binary at a real terminal (tmux) in a lab namespace with live MPTCP traffic.
final class DashboardTmuxTests: XCTestCase {
    func testDashboardShowsLiveTrafficAndAnswersKeys() throws {
        let lab = try makeLab()
        let session = try TrafficSession(lab: lab, connections: 1)
        let ss = try session.waitForSubflows(2)
        let token = try XCTUnwrap(ss.subflowsByToken.keys.first)
        let screen = try makeScreen([try mptopPath(), "--netns", lab.clientNamespace, "--interval", "0.5"])

        // The header, both paths in the interface pane, and the connection with its token as
        // ss prints it (mptop pads it to 8 digits).
        var text = screen.waitFor("the connection and both interfaces") {
            $0.contains("1 connection ") && $0.contains("wifi0") && $0.contains("cell0") && $0.contains("Mb/s")
        }
        XCTAssertTrue(text.contains("netns \(lab.clientNamespace)"), text)
        XCTAssertTrue(text.contains("pm in-kernel"), text)
        XCTAssertTrue(text.contains(String(repeating: "0", count: max(0, 8 - token.count)) + token), "token \(token) from ss:\n\(text)")

        // Enter expands the connection into its two subflows, one per path.
        screen.send("Enter")
        text = screen.waitFor("two subflow rows") { $0.contains("├─ wifi0") && $0.contains("└─ cell0") }
        XCTAssertTrue(text.contains("198.18.1.1:") && text.contains("198.18.2.1:"), text)

        // Enter again: the detail view with a rate chart per subflow.
        screen.send("Enter")
        screen.waitFor("the detail view") { $0.contains("Connection ") && $0.contains(" rate ") && $0.contains(" rtt ") }
        screen.send("Escape")
        screen.waitFor("the list again") { $0.contains("SF/CWND") }

        // Filter to something no connection has, then clear it.
        screen.send("/")
        screen.type("no-such-thing")
        screen.send("Enter")
        screen.waitFor("the empty filter result") { $0.contains("no connection matches the filter") }
        screen.send("Escape")
        screen.waitFor("the connection back") { $0.contains("├─ wifi0") }

        // Sort, pause, help.
        screen.send("s")
        screen.waitFor("the sort column") { $0.contains("sorted by token") }
        screen.send("p")
        screen.waitFor("the paused mark") { $0.contains("PAUSED") }
        screen.send("p")
        screen.send("?")
        screen.waitFor("the help overlay") { $0.contains("mptop keys") }
        screen.send("Escape")

        // Too small, then big again.
        screen.resize(width: 40, height: 10)
        screen.waitFor("the too-small screen") { $0.contains("need 60x12") }
        screen.resize(width: 120, height: 40)
        screen.waitFor("the dashboard after resizing") { $0.contains("wifi0") && $0.contains("SF/CWND") }

        // q quits and gives the terminal back (the shell prints the exit status).
        screen.send("q")
        text = screen.waitFor("mptop's exit") { $0.contains("[mptop exited 0]") }
        XCTAssertFalse(text.contains("SF/CWND"), "the alternate screen is gone after quitting:\n\(text)")
        _ = try session.finish()
    }

    func testCtrlCAndSIGTERMRestoreTheTerminal() throws {
        try skipUnlessLabAvailable()
        let screen = try makeScreen([try mptopPath(), "--theme", "mono"], width: 100, height: 30)
        screen.waitFor("the dashboard") { $0.contains("Interfaces") }
        screen.send("C-c")
        screen.waitFor("mptop's exit on Ctrl-C") { $0.contains("[mptop exited 0]") }

        let again = try makeScreen([try mptopPath()], width: 100, height: 30)
        again.waitFor("the dashboard") { $0.contains("Interfaces") }
        let pids = try again.panePID()
        // The pane's shell runs mptop as its child.
        let child = try ShellCommand.check("pgrep", ["-P", pids.trimmingCharacters(in: .whitespacesAndNewlines)])
        kill(pid_t(child.split(separator: "\n")[0])!, SIGTERM)
        let text = again.waitFor("mptop's exit on SIGTERM") { $0.contains("[mptop exited 0]") }
        XCTAssertFalse(text.contains("Interfaces"), text)
    }

    func testACrashStillGivesTheTerminalBack() throws {
        try skipUnlessLabAvailable()
        let screen = try makeScreen([try mptopPath()], width: 100, height: 30)
        screen.waitFor("the dashboard") { $0.contains("Interfaces") }
        let pane = try screen.panePID()
        let child = try ShellCommand.check("pgrep", ["-P", pane.trimmingCharacters(in: .whitespacesAndNewlines)])
        kill(pid_t(child.split(separator: "\n")[0])!, SIGSEGV)
        let text = screen.waitFor("the shell after the crash") { $0.contains("[mptop exited 139]") }
        XCTAssertFalse(text.contains("Interfaces"), "the alternate screen was left:\n\(text)")
        // The terminal modes are back too: the tty echoes what is typed again (ncurses had
        // turned echo off; nothing reads it now, so only the tty driver can show it).
        screen.type("typed-after-crash")
        screen.waitFor("the tty echoing input") { $0.contains("typed-after-crash") }
    }

    func testANonUTF8LocaleGetsASCIIGraphs() throws {
        try skipUnlessLabAvailable()
        let screen = try makeScreen(["/usr/bin/env", "LANG=C", "LC_ALL=C", try mptopPath()], width: 100, height: 30)
        let text = screen.waitFor("the dashboard in ASCII") { $0.contains("- Interfaces") }
        XCTAssertTrue(text.unicodeScalars.allSatisfy { $0.value < 128 }, text)
    }

    func testWithoutNetAdminTheHeaderSaysReadOnlyAndPolling() throws {
        try skipUnlessLabAvailable()
        guard let setpriv = ShellCommand.locate("setpriv") else { throw XCTSkip("setpriv (util-linux) is not installed") }
        // Dropping CAP_NET_ADMIN from the bounding set: the exec'd mptop lacks it, as a user would.
        let screen = try makeScreen([setpriv, "--bounding-set", "-net_admin", try mptopPath()], width: 160, height: 30)
        let text = screen.waitFor("the read-only header") { $0.contains("read-only (no CAP_NET_ADMIN)") }
        XCTAssertTrue(text.contains("polling (no events)"), text)
        screen.send("q")
    }

    func testBrokenThemeFailsBeforeTheScreenOpens() throws {
        try skipUnlessLabAvailable()
        let path = NSTemporaryDirectory() + "broken-\(getpid()).theme"
        try "name = Broken\ntext = #12\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let out = try runMptop(["--theme", path])
        XCTAssertEqual(out.status, 1)
        XCTAssertEqual(out.stderr, "mptop: theme \(path), line 2: text: bad colour '#12' (expected #rrggbb)\n")
        let listed = try runMptop(["--list-themes"])
        XCTAssertEqual(listed.status, 0)
        for name in ["default", "light", "high-contrast", "mono"] { XCTAssertTrue(listed.stdout.contains(name), listed.stdout) }
    }
}
