/// The key table, htop/btop style: every key of every mode, once. The handling (`DashboardState.handle`),
/// the help overlay, the footer hints and the README's key table all read it.
public enum KeyMap {
    private static let browsing = KeyMode.browsing

    /// In the order the help overlay and the README list them.
    public static let table: [KeyBinding] = [
        KeyBinding(browsing, "move the selection (on a page: scroll)",
                   [(.key(.up), .moveUp), (.key(.down), .moveDown), (.key(.character("k")), .moveUp), (.key(.character("j")), .moveDown)]),
        KeyBinding(browsing, "move by a page; to the first or last row",
                   [(.key(.pageUp), .pageUp), (.key(.pageDown), .pageDown), (.key(.home), .home), (.key(.end), .end),
                    (.key(.character("g")), .home), (.key(.character("G")), .end)]),
        KeyBinding(browsing, "expand a connection; again: its detail view", [(.key(.enter), .activate)]),
        KeyBinding(browsing, "expand or collapse a connection", [(.key(.character(" ")), .toggleExpand)]),
        KeyBinding([.list], "switch between interfaces and connections", [(.key(.tab), .switchPane), (.key(.backTab), .switchPane)]),
        KeyBinding(browsing, "choose the sort column",
                   [(.key(.character("s")), .nextSortColumn), (.key(.character(">")), .nextSortColumn), (.key(.right), .nextSortColumn),
                    (.key(.character("<")), .previousSortColumn), (.key(.left), .previousSortColumn)]),
        KeyBinding(browsing, "reverse the sort order", [(.key(.character("r")), .reverseSort)]),
        KeyBinding(browsing, "filter: address, port, token, process, interface", [(.key(.character("/")), .startFilter)]),
        KeyBinding(browsing, "close this view, clear the filter", [(.key(.escape), .back), (.key(.backspace), .back)]),
        KeyBinding(browsing, "event log, counters, diagnosis (again: back)",
                   [(.key(.character("e")), .showEvents), (.key(.character("c")), .showCounters), (.key(.character("d")), .showDiagnosis)]),
        KeyBinding([.page], "counters: show or hide the zero ones", [(.key(.character("z")), .toggleZeroCounters)]),
        KeyBinding(browsing, "close the selected subflow (asks first)", [(.key(.character("x")), .closeSubflow)]),
        KeyBinding(browsing, "toggle backup on a subflow or an interface", [(.key(.character("b")), .toggleBackup)]),
        KeyBinding(browsing, "failover test on a connection or interface", [(.key(.character("f")), .failover)]),
        KeyBinding(browsing, "pause or resume sampling; refresh faster or slower",
                   [(.key(.character("p")), .togglePause), (.key(.character("+")), .faster), (.key(.character("=")), .faster),
                    (.key(.character("-")), .slower), (.key(.character("_")), .slower)]),
        KeyBinding(browsing, "next colour theme", [(.key(.character("t")), .nextTheme)]),
        KeyBinding(browsing, "record to a file named in the footer; again: stop", [(.key(.character("R")), .toggleRecording)]),
        KeyBinding(browsing, "share bars: of the last 5 s, or since start", [(.key(.character("n")), .toggleShareMode)]),
        KeyBinding(browsing, "choose the list's columns and their order", [(.key(.character("o")), .chooseColumns)]),
        KeyBinding(browsing, "this help", [(.key(.character("?")), .toggleHelp), (.key(.character("h")), .toggleHelp)]),
        KeyBinding(browsing, "quit", [(.key(.character("q")), .quit), (.key(.interrupt), .quit)]),
        KeyBinding([.list], "select a row; click it again to expand", [(.click, .click(x: 0, y: 0))]),

        KeyBinding([.replay], "pause or play the recording", [(.key(.character("p")), .togglePlayback)]),
        KeyBinding([.replay], "pause and show the next sample", [(.key(.character(".")), .stepSample)]),
        KeyBinding([.replay], "seek 10 s back or forward", [(.key(.character("[")), .seekBack), (.key(.character("]")), .seekForward)]),
        KeyBinding([.replay], "go to the start or the end", [(.key(.character("{")), .seekStart), (.key(.character("}")), .seekEnd)]),
        KeyBinding([.replay], "play faster or slower",
                   [(.key(.character("+")), .playFaster), (.key(.character("=")), .playFaster),
                    (.key(.character("-")), .playSlower), (.key(.character("_")), .playSlower)]),

        KeyBinding([.help], "close the help (q and Ctrl-C also quit)",
                   [(.key(.character("q")), .quit), (.key(.interrupt), .quit), (.any, .closeHelp)]),

        KeyBinding([.columns], "move the cursor",
                   [(.key(.up), .moveUp), (.key(.down), .moveDown), (.key(.character("k")), .moveUp), (.key(.character("j")), .moveDown)]),
        KeyBinding([.columns], "show or hide the column", [(.key(.character(" ")), .toggleColumn), (.key(.character("x")), .toggleColumn)]),
        KeyBinding([.columns], "move the column earlier or later", [(.key(.character("[")), .columnEarlier), (.key(.character("]")), .columnLater)]),
        KeyBinding([.columns], "done (the choice is saved)",
                   [(.key(.escape), .closeColumnChooser), (.key(.enter), .closeColumnChooser), (.key(.character("o")), .closeColumnChooser),
                    (.key(.character("q")), .closeColumnChooser)]),

        KeyBinding([.filter], "keep the filter typed so far", [(.key(.enter), .keepFilter)]),
        KeyBinding([.filter], "clear the filter", [(.key(.escape), .clearFilter)]),
        KeyBinding([.filter], "delete the last character", [(.key(.backspace), .deleteFilterCharacter)]),
        KeyBinding([.filter], "quit", [(.key(.interrupt), .quit)]),

        KeyBinding([.dialog], "do it (closing a connection's last subflow asks twice)",
                   [(.key(.character("y")), .confirm), (.key(.character("Y")), .confirm), (.key(.enter), .confirm)]),
        KeyBinding([.dialog], "failover test: the next mode that can run here", [(.key(.character("m")), .nextMode)]),
        KeyBinding([.dialog], "cancel: nothing is changed",
                   [(.key(.character("n")), .cancel), (.key(.character("N")), .cancel), (.key(.escape), .cancel),
                    (.key(.character("q")), .cancel), (.key(.interrupt), .cancel)]),

        KeyBinding([.failoverRunning], "stop the test; everything it changed is put back", [(.key(.escape), .stopFailover)]),
        KeyBinding([.failoverRunning], "stop the test, put everything back, quit",
                   [(.key(.character("q")), .stopFailoverAndQuit), (.key(.interrupt), .stopFailoverAndQuit)]),
        KeyBinding([.failoverReport], "close the report", [(.key(.escape), .closeFailoverPanel)]),
        KeyBinding([.failoverReport], "save the report as JSON", [(.key(.character("w")), .saveFailoverReport)]),
    ]

    /// What `key` does in `mode`, if anything (the first binding that matches wins).
    public static func action(for key: Key, in mode: KeyMode) -> DashboardAction? {
        for binding in table where binding.modes.contains(mode) {
            for (pattern, action) in binding.keys where pattern.matches(key) {
                if case .click(let x, let y) = key, case .click = action { return .click(x: x, y: y) }
                return action
            }
        }
        return nil
    }

    /// The first key bound to `action` in `mode`, as the footer names it.
    public static func keyLabel(for action: DashboardAction, in mode: KeyMode) -> String? {
        for binding in table where binding.modes.contains(mode) {
            if let match = binding.keys.first(where: { $0.action == action }) { return match.pattern.label }
        }
        return nil
    }

    /// The lines of the help overlay: the keys a person browsing can press (the mouse is in
    /// the README's table); in a replay, its keys first, and none whose keys all do replay's
    /// things there (`p` pauses the playback, not the sampling).
    public static func helpLines(replay: Bool = false) -> [(keys: String, help: String)] {
        let browsingLines = table.filter { !$0.modes.isDisjoint(with: browsing) && !$0.keys.contains { $0.pattern == .click } }
        guard replay else { return browsingLines.map { ($0.label, $0.help) } }
        let replayLines = table.filter { $0.modes.contains(.replay) }
        let replayKeys = Set(replayLines.flatMap { $0.keys.map(\.pattern) })
        let shown = browsingLines.filter { !$0.keys.allSatisfy { replayKeys.contains($0.pattern) } }
        return (replayLines + shown).map { ($0.label, $0.help) }
    }

    /// The README's key table (a test checks that the README carries exactly this).
    public static var markdownTable: String {
        var lines = ["| keys | where | what |", "|---|---|---|"]
        for binding in table {
            let keys = binding.keys.map(\.pattern.label).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            lines.append("| \(keys.map { "`\($0)`" }.joined(separator: " ")) | \(place(binding.modes)) | \(binding.help) |")
        }
        return lines.joined(separator: "\n")
    }

    private static func place(_ modes: Set<KeyMode>) -> String {
        if modes == browsing { return "browsing" }
        return KeyMode.allCases.filter(modes.contains).map(\.place).joined(separator: ", ")
    }
}

extension KeyMode {
    /// Where a binding works, in the README's words.
    var place: String {
        switch self {
        case .list: return "list"
        case .detail: return "detail view"
        case .page: return "event log, counters, diagnosis"
        case .help: return "help"
        case .columns: return "column chooser"
        case .filter: return "typing a filter"
        case .dialog: return "confirmation dialog"
        case .failoverRunning: return "failover test running"
        case .failoverReport: return "failover report"
        case .replay: return "replay"
        }
    }
}
