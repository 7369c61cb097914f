@testable import Dashboard
import Foundation
import XCTest

/// The one key table: what each key does, that the help, the footer and the README read it, and
/// that handling a key says what the loop must do instead of leaving it to guess.
final class KeyTableTests: XCTestCase {
    /// Every key the dashboard reacted to before the table, with what it did while browsing.
    func testBrowsingKeysDoWhatTheyDid() {
        let expected: [(Key, DashboardAction)] = [
            (.up, .moveUp), (.character("k"), .moveUp), (.down, .moveDown), (.character("j"), .moveDown),
            (.pageUp, .pageUp), (.pageDown, .pageDown), (.home, .home), (.character("g"), .home), (.end, .end), (.character("G"), .end),
            (.enter, .activate), (.character(" "), .toggleExpand), (.tab, .switchPane), (.backTab, .switchPane),
            (.character("s"), .nextSortColumn), (.character(">"), .nextSortColumn), (.right, .nextSortColumn),
            (.character("<"), .previousSortColumn), (.left, .previousSortColumn), (.character("r"), .reverseSort),
            (.character("/"), .startFilter), (.character("p"), .togglePause), (.character("+"), .faster), (.character("="), .faster),
            (.character("-"), .slower), (.character("_"), .slower), (.character("t"), .nextTheme), (.character("?"), .toggleHelp),
            (.character("h"), .toggleHelp), (.escape, .back), (.backspace, .back), (.character("e"), .showEvents),
            (.character("c"), .showCounters), (.character("d"), .showDiagnosis), (.character("x"), .closeSubflow),
            (.character("b"), .toggleBackup), (.character("f"), .failover), (.character("q"), .quit), (.interrupt, .quit),
            (.click(x: 3, y: 9), .click(x: 3, y: 9)),
        ]
        for (key, action) in expected {
            XCTAssertEqual(KeyMap.action(for: key, in: .list), action, "\(key) in the list")
        }
        XCTAssertEqual(KeyMap.action(for: .character("z"), in: .page), .toggleZeroCounters)
        XCTAssertNil(KeyMap.action(for: .character("z"), in: .list), "z only works on the counters page")
        XCTAssertNil(KeyMap.action(for: .character("Q"), in: .list))
    }

    func testEveryModeHasItsOwnBindings() {
        XCTAssertEqual(KeyMap.action(for: .enter, in: .dialog), .confirm)
        XCTAssertEqual(KeyMap.action(for: .character("q"), in: .dialog), .cancel, "q in a dialog cancels, it does not quit")
        XCTAssertEqual(KeyMap.action(for: .character("m"), in: .dialog), .nextMode)
        XCTAssertEqual(KeyMap.action(for: .escape, in: .filter), .clearFilter)
        XCTAssertNil(KeyMap.action(for: .character("q"), in: .filter), "q while typing a filter is text")
        XCTAssertEqual(KeyMap.action(for: .character("j"), in: .help), .closeHelp, "any key closes the help")
        XCTAssertEqual(KeyMap.action(for: .character("q"), in: .help), .quit)
        XCTAssertEqual(KeyMap.action(for: .escape, in: .failoverRunning), .stopFailover)
        XCTAssertEqual(KeyMap.action(for: .character("w"), in: .failoverReport), .saveFailoverReport)
        for mode in KeyMode.allCases {
            XCTAssertTrue(KeyMap.table.contains { $0.modes.contains(mode) }, "\(mode) has bindings")
        }
    }

    /// The help overlay lists every key bound while browsing (the old one missed g, G, h, z, Backspace).
    func testTheHelpOverlayNamesEveryBrowsingKey() {
        let state = Scenario.state(width: 120, height: 40)
        var s = state
        s.handle(.character("?"))
        let text = DashboardRenderer.render(s, theme: .basic).text
        for binding in KeyMap.table where !binding.modes.isDisjoint(with: KeyMode.browsing) && binding.label != "click" {
            XCTAssertTrue(text.contains(binding.label), "help shows '\(binding.label)'")
        }
        for key in ["g G", "h", "z", "Backspace"] { XCTAssertTrue(text.contains(key), "help shows \(key)") }
    }

    func testTheFooterOnlyOffersKeysBoundInItsMode() {
        var s = Scenario.state(width: 200, height: 50)
        let bound = Set(KeyMap.table.flatMap { $0.keys.map(\.pattern.label) }).union(["↑↓", "+-"])
        for keys in [[], [Key.enter], [.enter, .down], [.tab], [.character("e")], [.character("c")], [.character("d")]] {
            for key in keys { s.handle(key) }
            let footer = DashboardRenderer.render(s, theme: .basic).text.split(separator: "\n").last.map(String.init) ?? ""
            XCTAssertTrue(footer.contains("? help"), "footer: \(footer)")
            let words = footer.split(separator: " ").map(String.init)
            for key in ["x", "b", "f", "Tab", "z", "Enter", "Esc"] where words.contains(key) {
                XCTAssertTrue(bound.contains(key))
            }
            s = Scenario.state(width: 200, height: 50)
        }
    }

    /// The README's key table is the table (regenerate it from `KeyMap.markdownTable`).
    func testTheREADMEKeyTableIsTheKeyMap() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        XCTAssertTrue(text.contains(KeyMap.markdownTable + "\n"),
                      "README.md's key table differs from KeyMap.table; it should read:\n\(KeyMap.markdownTable)")
    }

    func testKeysReturnWhatTheLoopMustDo() {
        var s = Scenario.state(width: 100, height: 30)
        s.themeNames = ["default", "light"]
        XCTAssertEqual(s.handle(.character("t")), [.applyTheme, .saveSettings])
        XCTAssertEqual(s.handle(.character("+")), [.reschedule, .saveSettings])
        XCTAssertEqual(s.handle(.character("p")), [])
        XCTAssertEqual(s.handle(.character("p")), [.sampleNow], "resuming samples at once")
        XCTAssertEqual(s.handle(.character("d")), [.loadDiagnosis])
        XCTAssertEqual(s.handle(.character("d")), [], "d again goes back to the list")
        XCTAssertEqual(s.handle(.character("f")), [.startAction(.failover)])
        XCTAssertEqual(s.handle(.character("x")), [.startAction(.closeSubflow)])
        XCTAssertEqual(s.handle(.character("j")), [])
    }

    func testReadOnlyActionKeysExplainThemselves() {
        var s = Scenario.state(width: 100, height: 30)
        s.header.canAct = false
        s.header.readOnlyReason = "--readonly"
        XCTAssertEqual(s.handle(.character("x")), [])
        XCTAssertEqual(s.message, "read-only: --readonly")
    }

    func testDialogAndFailoverPanelModes() {
        var s = Scenario.state(width: 100, height: 30)
        s.dialog = Dialog(title: "Close this subflow?", text: "close it", answers: [])
        XCTAssertEqual(s.handle(.character("y")), [.answerDialog(.confirm)])
        XCTAssertEqual(s.handle(.character("q")), [.answerDialog(.cancel)])
        XCTAssertFalse(s.quit)
        XCTAssertEqual(s.handle(.character("j")), [], "other keys wait for an answer")
        s.dialog = nil

        s.failover = FailoverPanel(title: "Failover test", phase: .test(.during))
        XCTAssertEqual(s.handle(.escape), [.stopFailover(reason: "stopped from the dashboard")])
        XCTAssertEqual(s.handle(.character("q")), [.stopFailover(reason: "the dashboard was closed")])
        XCTAssertTrue(s.quit, "q stops the test, then quits")
        s.failover?.report = ["recovery: 100 ms"]
        XCTAssertEqual(s.handle(.character("w")), [.saveFailoverReport])
        XCTAssertEqual(s.handle(.escape), [])
        XCTAssertNil(s.failover, "Esc closes the finished report")
    }

    func testExtraKeysGoToTheCommand() {
        var s = Scenario.state(width: 100, height: 30)
        s.bar = StatusBar(title: "DEMO", items: [.init(key: "1", label: "WiFi away")], status: .init(text: "", good: true))
        XCTAssertEqual(s.handle(.character("1")), [.runExtra("1")])
        s.handle(.character("/"))
        XCTAssertEqual(s.handle(.character("1")), [], "while typing a filter, 1 is text")
        XCTAssertEqual(s.filter, "1")
    }
}
