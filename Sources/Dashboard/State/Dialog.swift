import MPTCPKit

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

    /// Where the test is: starting (planned, not yet sampled), then the test's own phase.
    public enum Stage: Equatable, Sendable {
        case starting
        case test(FailoverTest.Phase)

        /// What the panel's title shows: the one place a phase becomes words.
        public var label: String {
            switch self {
            case .starting: return "starting"
            case .test(let phase): return phase.label
            }
        }
    }

    public var title: String
    public var phase: Stage
    public var rates: [Rate]
    /// What happened when, one line each, oldest first.
    public var events: [String]
    /// The report's lines once the test finished (nil while it runs).
    public var report: [String]?
    /// Where the report was saved, once it was.
    public var savedTo: String?

    public init(title: String, phase: Stage, rates: [Rate] = [], events: [String] = [], report: [String]? = nil) {
        self.title = title
        self.phase = phase
        self.rates = rates
        self.events = events
        self.report = report
    }

    public var isFinished: Bool { report != nil }
}
