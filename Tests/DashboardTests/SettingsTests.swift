@testable import Dashboard
import Foundation
import XCTest

/// The dashboard keeps a person's setup like htop: written when it changes, read at start,
/// flags over it; a broken file is a one-line error naming the line.
final class SettingsTests: XCTestCase {
    var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "mptop-settings-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        addTeardownBlock { [directory] in try? FileManager.default.removeItem(atPath: directory) }
    }

    func testRoundTrip() throws {
        let settings = DashboardSettings(theme: "light", sort: .some(.tx), sortReversed: true, interval: 0.5,
                                         columns: [.id, .status, .tx, .share], keepClosed: 10, shareMode: .sinceStart)
        let path = directory + "/mptop/config"
        try SettingsFile.save(settings, path: path)
        let (read, notes) = try SettingsFile.load(path: path)
        XCTAssertEqual(read, settings)
        XCTAssertEqual(notes, [])
        var st = stat()
        XCTAssertEqual(stat(path, &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o600)
        XCTAssertEqual(stat(directory + "/mptop", &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o700)
        XCTAssertEqual(try SettingsFile.load(path: directory + "/none").0, DashboardSettings(), "no file: nothing set")
    }

    func testABrokenFileNamesTheLineAndNotItsText() {
        let cases: [(String, String)] = [
            ("sort = tx\ninterval = fast\n", "line 2: 'interval' takes seconds between 0.1 and 3600"),
            ("root:$6$secret:19000:0:99999:7:::\n", "line 1: expected 'key = value'"),
            ("sort = secret-hash\n", "line 1: 'sort' takes none or one of: token, local, remote, subflows, tx, rx, bytes, rtt, process"),
            ("columns = token,,tx\n", "line 1: 'columns' takes a comma-separated list of: token, addresses, cwnd, rtt, tx, rx, bytes, retrans, share, process, status"),
            ("share = sometimes\n", "line 1: 'share' takes recent or since-start"),
            ("theme = ../../etc/passwd\n", "line 1: 'theme' takes a theme name (see --list-themes)"),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try SettingsFile.parse(text, path: "/x/config")) { error in
                XCTAssertEqual("\(error)", "config /x/config, " + expected)
                XCTAssertFalse("\(error)".contains("secret"))
            }
        }
    }

    func testUnknownKeysAreIgnoredWithANote() throws {
        let path = directory + "/config"
        try "# from a newer mptop\nsort = rtt\nglow = yes\n".write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o600)
        let (s, notes) = try SettingsFile.load(path: path)
        XCTAssertEqual(s.sort, .some(.rtt))
        XCTAssertEqual(notes, ["config \(path), line 3: unknown setting ignored"])
    }

    func testAFileOthersCanWriteOrAFIFOIsNotRead() throws {
        let path = directory + "/config"
        try "sort = tx\n".write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o666)
        XCTAssertThrowsError(try SettingsFile.load(path: path)) { XCTAssertTrue("\($0)".contains("writable by others; not read"), "\($0)") }
        let fifo = directory + "/fifo"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        XCTAssertThrowsError(try SettingsFile.load(path: fifo)) { XCTAssertTrue("\($0)".contains("not a regular file"), "\($0)") }
        let link = directory + "/link"
        XCTAssertEqual(symlink("/etc/shadow", link), 0)
        XCTAssertThrowsError(try SettingsFile.load(path: link)) { XCTAssertTrue("\($0)".contains("not a regular file"), "\($0)") }
    }

    func testSavingNeverFollowsALeftoverTemporaryLink() throws {
        let path = directory + "/config"
        let target = directory + "/target"
        XCTAssertEqual(symlink(target, path + ".new-\(getpid())"), 0)
        XCTAssertThrowsError(try SettingsFile.save(DashboardSettings(sort: .some(.tx)), path: path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: target), "nothing was written through the link")
    }

    func testFlagsOverrideTheFile() {
        let file = DashboardSettings(theme: "light", sort: .some(.tx), interval: 2, shareMode: .sinceStart)
        let flags = DashboardSettings(theme: "mono", interval: 0.5)
        let both = file.overridden(by: flags)
        XCTAssertEqual(both.theme, "mono")
        XCTAssertEqual(both.interval, 0.5)
        XCTAssertEqual(both.sort, .some(.tx))
        XCTAssertEqual(both.shareMode, .sinceStart)
    }

    func testChangesInTheDashboardAskToBeSaved() {
        var s = Scenario.state(width: 120, height: 40)
        XCTAssertEqual(s.handle(.character("s")), [.saveSettings])
        XCTAssertEqual(s.handle(.character("r")), [.saveSettings])
        XCTAssertEqual(s.handle(.character("n")), [.saveSettings])
        XCTAssertEqual(s.handle(.character("+")), [.reschedule, .saveSettings])
        XCTAssertEqual(s.handle(.character("j")), [])
        let saved = s.settings
        XCTAssertEqual(saved.sort, .some(.token))
        XCTAssertEqual(saved.sortReversed, true)
        XCTAssertEqual(saved.shareMode, .sinceStart)
        XCTAssertEqual(saved.interval, 0.5)

        var fresh = Scenario.state(width: 120, height: 40)
        fresh.apply(saved)
        XCTAssertEqual(fresh.settings.sort, saved.sort)
        XCTAssertEqual(fresh.rows.map(\.id), s.rows.map(\.id), "the same setup gives the same list")
    }

    func testTheColumnChooserShowsHidesAndReorders() {
        var s = Scenario.state(width: 120, height: 40)
        XCTAssertEqual(s.handle(.character("o")), [])
        XCTAssertNotNil(s.columnChooser)
        XCTAssertEqual(s.handle(.character(" ")), [], "the token column cannot be hidden")
        XCTAssertEqual(s.columns, ListColumn.allCases)
        s.handle(.down)                     // addresses
        s.handle(.character(" "))           // hide it
        XCTAssertFalse(s.columns.contains(.addresses))
        for _ in 0..<9 { s.handle(.down) }  // status, the last
        s.handle(.character("["))
        s.handle(.character("["))           // status before share and process
        XCTAssertEqual(s.columns, [.id, .cwnd, .rtt, .tx, .rx, .bytes, .retrans, .status, .share, .process])
        let frame = DashboardRenderer.render(s, theme: .basic).text
        XCTAssertTrue(frame.contains("[ ] addresses"), frame)
        XCTAssertEqual(s.handle(.escape), [.saveSettings])
        XCTAssertNil(s.columnChooser)
        let heading = DashboardRenderer.render(s, theme: .basic).text.split(separator: "\n").first { $0.contains("TOKEN") }.map(String.init) ?? ""
        XCTAssertFalse(heading.contains("LOCAL"), heading)
        XCTAssertLessThan(heading.range(of: "STATUS")!.lowerBound, heading.range(of: "SHARE")!.lowerBound, heading)
        XCTAssertEqual(s.settings.columns, s.columns)
    }

    func testTheChooserAt80x24() {
        var s = Scenario.state(width: 80, height: 24)
        s.handle(.character("o"))
        s.handle(.down)
        s.handle(.character(" "))
        assertGoldenFrame(DashboardRenderer.render(s, theme: .basic), named: "columns-80x24")
    }
}
