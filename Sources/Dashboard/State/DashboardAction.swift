/// What a key asks the dashboard to do. Keys map to actions in one table (`KeyMap`), so the
/// help overlay, the footer and the handling can never disagree.
public enum DashboardAction: Hashable, Sendable {
    case moveUp, moveDown, pageUp, pageDown, home, end
    /// Space: expand or collapse the selected connection.
    case toggleExpand
    /// Enter: expand; on an expanded connection, open its detail view.
    case activate
    case switchPane
    case nextSortColumn, previousSortColumn, reverseSort
    case startFilter
    case togglePause
    case faster, slower
    case nextTheme
    case toggleHelp
    /// Esc: close an overlay or the detail view, clear the filter.
    case back
    case quit
    /// Screens of the kernel's side: event log, counters, diagnosis (the loop fills it in).
    case showEvents, showCounters, showDiagnosis
    /// Counters screen: show or hide counters that are zero.
    case toggleZeroCounters
    /// Acting on the selected row (handled by the loop, which owns the action executor).
    case closeSubflow, toggleBackup, failover
    case click(x: Int, y: Int)
}

/// The key table, htop/btop style.
public enum KeyMap {
    public struct Binding: Sendable {
        public let keys: String
        public let action: DashboardAction
        public let help: String
    }

    /// In the order the help overlay lists them.
    public static let bindings: [Binding] = [
        Binding(keys: "Up/Down j/k", action: .moveUp, help: "move the selection"),
        Binding(keys: "PgUp/PgDn Home/End", action: .pageUp, help: "move by a page, to the first or last row"),
        Binding(keys: "Enter", action: .activate, help: "expand a connection; again: its detail view"),
        Binding(keys: "Space", action: .toggleExpand, help: "expand or collapse a connection"),
        Binding(keys: "Tab", action: .switchPane, help: "switch between interfaces and connections"),
        Binding(keys: "s  < >", action: .nextSortColumn, help: "choose the sort column"),
        Binding(keys: "r", action: .reverseSort, help: "reverse the sort order"),
        Binding(keys: "/", action: .startFilter, help: "filter by address, port, token, process or interface"),
        Binding(keys: "Esc", action: .back, help: "close this view, clear the filter"),
        Binding(keys: "e", action: .showEvents, help: "path-manager event log"),
        Binding(keys: "c", action: .showCounters, help: "MPTCP counters (z: also the zero ones)"),
        Binding(keys: "d", action: .showDiagnosis, help: "diagnose: why is there no extra subflow?"),
        Binding(keys: "x", action: .closeSubflow, help: "close the selected subflow (asks first)"),
        Binding(keys: "b", action: .toggleBackup, help: "toggle backup on a subflow or an interface"),
        Binding(keys: "f", action: .failover, help: "failover test on a connection or interface"),
        Binding(keys: "p", action: .togglePause, help: "pause or resume sampling"),
        Binding(keys: "+ -", action: .faster, help: "refresh faster or slower"),
        Binding(keys: "t", action: .nextTheme, help: "next colour theme"),
        Binding(keys: "?", action: .toggleHelp, help: "this help"),
        Binding(keys: "q  Ctrl-C", action: .quit, help: "quit"),
    ]

    public static func action(for key: Key) -> DashboardAction? {
        switch key {
        case .up, .character("k"): return .moveUp
        case .down, .character("j"): return .moveDown
        case .pageUp: return .pageUp
        case .pageDown: return .pageDown
        case .home, .character("g"): return .home
        case .end, .character("G"): return .end
        case .enter: return .activate
        case .character(" "): return .toggleExpand
        case .tab, .backTab: return .switchPane
        case .character("s"), .character(">"), .right: return .nextSortColumn
        case .character("<"), .left: return .previousSortColumn
        case .character("r"): return .reverseSort
        case .character("/"): return .startFilter
        case .character("p"): return .togglePause
        case .character("+"), .character("="): return .faster
        case .character("-"), .character("_"): return .slower
        case .character("t"): return .nextTheme
        case .character("?"), .character("h"): return .toggleHelp
        case .escape, .backspace: return .back
        case .character("e"): return .showEvents
        case .character("c"): return .showCounters
        case .character("d"): return .showDiagnosis
        case .character("z"): return .toggleZeroCounters
        case .character("x"): return .closeSubflow
        case .character("b"): return .toggleBackup
        case .character("f"): return .failover
        case .character("q"), .interrupt: return .quit
        case .click(let x, let y): return .click(x: x, y: y)
        default: return nil
        }
    }
}
