/// What part of the dashboard has the keyboard: each mode has its own bindings in `KeyMap.table`.
public enum KeyMode: Sendable, Hashable, CaseIterable {
    /// The connection list or the interface pane.
    case list
    /// A connection's detail view (graphs).
    case detail
    /// A full-height page: the event log, counters, diagnosis.
    case page
    /// The help overlay.
    case help
    /// The column chooser.
    case columns
    /// Typing the filter.
    case filter
    /// A confirmation dialog.
    case dialog
    /// A failover test is running (its panel is up); keys it does not bind go to the view below.
    case failoverRunning
    /// A failover test finished and its report is up; likewise.
    case failoverReport
    /// Replaying a recording: its keys come before the view's.
    case replay

    /// The modes in which a person browses and gives commands.
    public static let browsing: Set<KeyMode> = [.list, .detail, .page]
}

/// Which keys a binding matches.
public enum KeyPattern: Hashable, Sendable {
    case key(Key)
    /// Any mouse click.
    case click
    /// Any key at all (the help overlay closes on any key).
    case any

    func matches(_ key: Key) -> Bool {
        switch (self, key) {
        case (.key(let k), _): return k == key
        case (.click, .click): return true
        case (.click, _): return false
        case (.any, _): return true
        }
    }

    /// How the help, the footer and the README name it.
    public var label: String {
        switch self {
        case .key(let k): return k.label
        case .click: return "click"
        case .any: return "any key"
        }
    }
}

/// One line of the key table: the keys, what each does, and the help text for the line.
public struct KeyBinding: Sendable {
    public let modes: Set<KeyMode>
    public let keys: [(pattern: KeyPattern, action: DashboardAction)]
    public let help: String

    init(_ modes: Set<KeyMode>, _ help: String, _ keys: [(KeyPattern, DashboardAction)]) {
        self.modes = modes
        self.help = help
        self.keys = keys.map { (pattern: $0.0, action: $0.1) }
    }

    /// "Up Down k j": every key of the line, so the help can never leave one out.
    public var label: String {
        var seen = Set<String>()
        return keys.map(\.pattern.label).filter { seen.insert($0).inserted }.joined(separator: " ")
    }
}

extension Key {
    /// The key's name as the help and the footer print it.
    public var label: String {
        switch self {
        case .character(" "): return "Space"
        case .character(let c): return String(c)
        case .up: return "Up"
        case .down: return "Down"
        case .left: return "Left"
        case .right: return "Right"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .backspace: return "Backspace"
        case .interrupt: return "Ctrl-C"
        case .click: return "click"
        }
    }
}
