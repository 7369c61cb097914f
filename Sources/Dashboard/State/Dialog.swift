/// A confirmation dialog: what is about to happen, named exactly, and how to answer.
public struct Dialog: Sendable, Equatable {
    public var title: String
    /// The action in words (e.g. which subflow of which connection); wrapped to the box.
    public var text: String
    /// A second, louder line (e.g. why closing the last subflow strands the connection).
    public var warning: String?
    /// The answers, e.g. [("Enter", "close it"), ("Esc", "cancel")].
    public var answers: [StatusBar.Item]

    public init(title: String, text: String, warning: String? = nil, answers: [StatusBar.Item]) {
        self.title = title
        self.text = text
        self.warning = warning
        self.answers = answers
    }
}

/// The live panel of a running failover test, then its report.
public struct FailoverPanel: Sendable, Equatable {
    public struct Rate: Sendable, Equatable {
        public let interface: String
        public let bitsPerSecond: Double
        public init(interface: String, bitsPerSecond: Double) {
            self.interface = interface
            self.bitsPerSecond = bitsPerSecond
        }
    }

    public var title: String
    /// "before", "during", "after", "finished".
    public var phase: String
    public var rates: [Rate]
    /// What happened when, one line each, oldest first.
    public var events: [String]
    /// The report's lines once the test finished (nil while it runs).
    public var report: [String]?
    /// Where the report was saved, once it was.
    public var savedTo: String?

    public init(title: String, phase: String, rates: [Rate] = [], events: [String] = [], report: [String]? = nil) {
        self.title = title
        self.phase = phase
        self.rates = rates
        self.events = events
        self.report = report
    }

    public var isFinished: Bool { report != nil }
}
