/// Keys and a status bar that a command adds to the dashboard: the demo's "take WiFi away"
/// keys and its receiver counter. The dashboard stays ignorant of what they do.
public struct DashboardExtras {
    /// Shown at the start of the bar, e.g. "DEMO".
    public var title: String
    /// The keys and their current labels (a label can change: "WiFi away" / "WiFi back").
    public var items: () -> [StatusBar.Item]
    /// Text after the keys, refreshed with every frame (e.g. the receiver's intact counter).
    public var status: () -> StatusBar.Status
    /// Runs the action of a key; returns the line to show in the footer.
    public var perform: (Unicode.Scalar) -> String

    public init(title: String, items: @escaping () -> [StatusBar.Item], status: @escaping () -> StatusBar.Status,
                perform: @escaping (Unicode.Scalar) -> String) {
        self.title = title
        self.items = items
        self.status = status
        self.perform = perform
    }

    var bar: StatusBar { StatusBar(title: title, items: items(), status: status()) }
}

/// The contents of the extra bar above the footer, as values the renderer draws.
public struct StatusBar: Sendable, Equatable {
    public struct Item: Sendable, Equatable {
        public let key: Unicode.Scalar
        public let label: String
        public init(key: Unicode.Scalar, label: String) {
            self.key = key
            self.label = label
        }
    }

    public struct Status: Sendable, Equatable {
        public let text: String
        /// What to show when the bar is too narrow for `text`.
        public let short: String
        /// Good news (green-ish) or bad (red-ish), e.g. "intact" versus "CORRUPTED".
        public let good: Bool
        public init(text: String, short: String? = nil, good: Bool) {
            self.text = text
            self.short = short ?? text
            self.good = good
        }
    }

    public let title: String
    public let items: [Item]
    public let status: Status

    public init(title: String, items: [Item], status: Status) {
        self.title = title
        self.items = items
        self.status = status
    }
}
