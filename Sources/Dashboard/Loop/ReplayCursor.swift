import MPTCPKit

/// The loop's place in a recording: the next sample to show and what the samples so far said
/// about the setup and the counters (for the diagnosis screen, which shows it as it was).
final class ReplayCursor {
    let source: ReplaySource
    /// The next sample, read ahead so the loop knows when it is due; nil after the last.
    private(set) var pending: RecordedSample?
    /// Monotonic seconds when the playback position was last moved on.
    var lastTick: Double?
    private(set) var setup: PathManagerSetup?
    private(set) var counters: MPTCPCounters?

    /// How much recorded time before a seek's target is replayed quietly, so the graphs have a
    /// past and the rates a previous sample.
    static let warmup = 30.0

    init(_ source: ReplaySource) throws {
        self.source = source
        pending = try source.next()
    }

    /// Takes the pending sample and reads the next one.
    func take() throws -> RecordedSample? {
        guard let current = pending else { return nil }
        if let s = current.setup { setup = s }
        if let c = current.counters { counters = c }
        pending = try source.next()
        return current
    }

    /// Moves so that the pending sample is the first after `time`, handing every sample from the
    /// warm-up up to `time` to `apply`.
    func rewind(to time: Double, _ apply: (RecordedSample) -> Void) throws {
        try source.rewind(before: time - Self.warmup)
        setup = nil
        counters = nil
        pending = try source.next()
        while let p = pending, p.snapshot.time <= time, let s = try take() { apply(s) }
    }

    /// The diagnosis of the sample shown, from the setup recorded with it.
    func diagnosis(namespace: String?, snapshot: Snapshot?, events: [PathManagerEvent]) -> Diagnosis {
        var s = setup ?? PathManagerSetup(namespace: namespace)
        if setup == nil { s.unreadable.append("the recording has no path-manager setup up to here") }
        s.snapshot = snapshot
        s.events = events
        s.counters = counters
        return Diagnosis(setup: s)
    }
}
