import MPTCPKit

/// Where path-manager events come from: `PathManagerEventSource` in the real dashboard.
public protocol EventFeed: AnyObject {
    /// A descriptor that becomes readable when events are waiting.
    var fd: Int32 { get }
    /// Every event waiting now, without blocking.
    func drain(limit: Int) -> PathManagerEventBatch
}

extension PathManagerEventSource: EventFeed {}

/// Carries out what the action keys ask (`ActionExecutor` in the real dashboard), in the
/// watched namespace.
public protocol ActionPort: AnyObject {
    /// The watched namespace (for failover journals); nil for mptop's own.
    var namespace: String? { get }
    func plan(_ action: MPTCPAction, snapshot: Snapshot) throws -> PlannedAction
    func execute(_ planned: PlannedAction, confirmedTwice: Bool) throws -> ActionOutcome
}

/// A recording to replay instead of sampling the kernel (`RecordingReader` in `mptop replay`).
public protocol ReplaySource: AnyObject {
    /// The next sample in recorded order, nil after the last.
    func next() throws -> RecordedSample?
    /// Goes back (or on) so that `next()` continues from a keyframe before `time`.
    func rewind(before time: Double) throws
}

extension RecordingReader: ReplaySource {}
