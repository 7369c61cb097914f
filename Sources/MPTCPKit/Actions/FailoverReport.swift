/// The result of a failover test: throughput per interface before, during and after the
/// failure, how long the other paths took to take over, and whether everything was put back.
public struct FailoverReport: Sendable {
    public struct Throughput: Sendable, Equatable {
        public let interface: String
        /// Mean bits per second (sent + received) of the connection's subflows on the interface.
        public let before: Double?
        public let during: Double?
        public let after: Double?
    }

    /// The connection asked for (nil: every connection on the interface, listed in `tokens`).
    public let token: UInt32?
    public let tokens: [UInt32]
    public let interface: String
    public let mode: FailoverMode
    public let duration: Double
    public let throughput: [Throughput]
    /// Milliseconds from the failure until the remaining paths carried at least half the
    /// pre-failure rate; nil when they never did.
    public let recoveryMs: Double?
    /// The connection was still established, with a subflow, at the end.
    public let survived: Bool
    /// Every change was undone and the undo verified.
    public let restored: Bool
    public let events: [FailoverEvent]
    /// Caveats (e.g. what a path manager cannot do), one line each.
    public let notes: [String]
}
