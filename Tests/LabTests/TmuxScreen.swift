import Foundation
import LabKit
import MPTCPKit
import XCTest

/// A real terminal for end-to-end tests: mptop runs in a detached tmux session, the test reads
/// the screen with capture-pane and types with send-keys, as a person would.
///
/// Each screen has a tmux server of its own (`-L session`). On one shared server (every root
/// user's default socket), a server exiting after another test closed the last session takes
/// the next `new-session` with it: "server exited unexpectedly", a flake in whichever test
/// opened a screen at that moment.
final class TmuxScreen {
    let session: String
    /// $XDG_CONFIG_HOME for the dashboard in this screen.
    let settings: String

    /// Starts `command` (argv) in a new session of `width` x `height`, with a UTF-8 locale and a
    /// 256-colour terminal type.
    init(_ command: [String], width: Int = 120, height: Int = 40) throws {
        // pid + a random suffix: unique across parallel test runs and across screens of one test.
        session = "mptop-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let quoted = command.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        // The shell keeps the pane after mptop exits, so a crash's last words can still be read.
        // A settings folder of its own: what one test changes in the dashboard (sort, columns)
        // is saved, and must not become the next test's start, nor the developer's.
        settings = NSTemporaryDirectory() + session
        let script = "TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_CONFIG_HOME='\(settings)' \(quoted); echo \"[mptop exited $?]\"; sleep 30"
        _ = try tmux(["new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)", script])
    }

    /// The visible screen as text.
    func capture() -> String {
        (try? tmux(["capture-pane", "-p", "-t", session])) ?? ""
    }

    /// Sends keys in tmux's notation ("Enter", "Escape", "q", "C-c").
    func send(_ keys: String...) {
        _ = try? tmux(["send-keys", "-t", session] + keys)
    }

    /// Types text literally.
    func type(_ text: String) {
        _ = try? tmux(["send-keys", "-t", session, "-l", text])
    }

    func resize(width: Int, height: Int) {
        _ = try? tmux(["resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)"])
    }

    /// Waits until the screen satisfies `condition`; returns the last screen either way.
    @discardableResult
    func waitFor(timeout: TimeInterval = 10, _ what: String, file: StaticString = #filePath, line: UInt = #line,
                 _ condition: (String) -> Bool) -> String {
        let deadline = Date(timeIntervalSinceNow: timeout)
        var screen = capture()
        while !condition(screen) && Date() < deadline {
            usleep(100_000)
            screen = capture()
        }
        if !condition(screen) { XCTFail("screen never showed \(what) within \(Int(timeout)) s:\n\(screen)", file: file, line: line) }
        return screen
    }

    /// Ends the session and its server (SIGHUP to what runs in the pane).
    func close() {
        _ = try? tmux(["kill-server"])
        try? FileManager.default.removeItem(atPath: settings)
    }

    /// The process id of the pane's shell.
    func panePID() throws -> String {
        try tmux(["list-panes", "-t", session, "-F", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs a tmux command on this screen's server. Not through Foundation's Process: when
    /// this starts the tmux server, Process never noticed the client exit and waited forever.
    /// No configuration file: the root user's ~/.tmux.conf must not change what tests see.
    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        guard let path = ToolRunner.locate("tmux") else { throw TestFailure("tmux is not installed") }
        let out = try ToolRunner.run(path, ["-L", session, "-f", "/dev/null"] + arguments, timeout: 10)
        guard out.status == 0 else { throw TestFailure("tmux \(arguments.first ?? "") failed (exit \(out.status)): \(out.stderr)") }
        return out.stdout
    }
}

extension XCTestCase {
    /// A tmux screen that is closed when the test ends; skips (with the reason) without tmux.
    func makeScreen(_ command: [String], width: Int = 120, height: Int = 40) throws -> TmuxScreen {
        guard ShellCommand.locate("tmux") != nil else { throw XCTSkip("tmux is not installed (apt install tmux)") }
        let screen = try TmuxScreen(command, width: width, height: height)
        addTeardownBlock { screen.close() }
        return screen
    }
}
