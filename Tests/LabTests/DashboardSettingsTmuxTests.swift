import Foundation
import LabKit
import XCTest

/// The real dashboard keeps what a person changed: sort, share mode and columns are saved when
/// changed, there at the next start, and flags still win; a broken file stops it with one line.
final class DashboardSettingsTmuxTests: XCTestCase {
    func testChangesAreThereAtTheNextStart() throws {
        let lab = try makeLab()
        let session = try TrafficSession(lab: lab, connections: 1)
        _ = try session.waitForSubflows(2)
        let command = [try mptopPath(), "--netns", lab.clientNamespace, "--interval", "0.5"]
        let first = try makeScreen(command, width: 160, height: 30)
        first.waitFor("the connection") { $0.contains("1 connection ") && $0.contains("last 5 s") }
        first.send("n")
        first.waitFor("since start") { $0.contains("share of MPTCP bytes, since start") }
        first.send("s")
        first.waitFor("sorted by token") { $0.contains("sorted by token") }
        // The column chooser: hide the addresses (the second row).
        first.send("o")
        first.waitFor("the column chooser") { $0.contains("Columns of the connection list") }
        first.send("Down")
        first.waitFor("the cursor on addresses") { _ in true }
        first.send("Space")
        first.waitFor("addresses unticked") { $0.contains("[ ] addresses") }
        first.send("Escape")
        first.waitFor("the list without addresses") {
            !$0.contains("Columns of the connection list") && !$0.contains("LOCAL → REMOTE") && $0.contains("STATUS")
        }
        first.send("q")
        let file = first.settings + "/mptop/config"
        let saved = try String(contentsOfFile: file, encoding: .utf8)
        XCTAssertTrue(saved.contains("share = since-start"), saved)
        XCTAssertTrue(saved.contains("theme = default\n"), "the theme by the name --theme takes: \(saved)")
        XCTAssertTrue(saved.contains("sort = token"), saved)
        XCTAssertTrue(saved.contains("columns = token,cwnd,"), saved)

        // The next start, with the same settings folder: as it was left, but the flag's
        // interval wins over the saved one.
        let again = try TmuxScreen(["/usr/bin/env", "XDG_CONFIG_HOME=" + first.settings] + command.dropLast(2) + ["--interval", "2"],
                                   width: 160, height: 30)
        defer { again.close() }
        let text = again.waitFor("the saved setup") {
            $0.contains("since start") && $0.contains("sorted by token") && !$0.contains("LOCAL → REMOTE")
        }
        XCTAssertTrue(text.contains("every 2 s"), "--interval overrides the saved 0.5 s:\n\(text)")
        again.send("q")
        _ = try session.finish()
    }

    func testABrokenSettingsFileIsOneLineBeforeTheScreenOpens() throws {
        try skipUnlessLabAvailable()
        let dir = NSTemporaryDirectory() + "mptop-settings-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir + "/mptop", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/mptop/config"
        try "sort = tx\ninterval = soon\n".write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o600)
        // At a terminal (a pipe gets the text view, which has no settings).
        let screen = try makeScreen(["/usr/bin/env", "XDG_CONFIG_HOME=" + dir, try mptopPath()], width: 160, height: 10)
        let text = screen.waitFor("the error and the exit") { $0.contains("[mptop exited") }
        XCTAssertTrue(text.contains("mptop: config \(file), line 2: 'interval' takes seconds between 0.1 and 3600\n[mptop exited 1]"), text)
        chmod(file, 0o666)
        let open = try makeScreen(["/usr/bin/env", "XDG_CONFIG_HOME=" + dir, try mptopPath()], width: 160, height: 10)
        let refused = open.waitFor("the refusal") { $0.contains("[mptop exited") }
        XCTAssertTrue(refused.contains("mptop: config \(file): owned by another user or writable by others; not read\n[mptop exited 1]"), refused)
    }
}
