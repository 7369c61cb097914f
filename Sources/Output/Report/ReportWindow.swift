#if canImport(Glibc)
import Glibc
#endif
import MPTCPKit

/// The sampling window of a debug bundle: a snapshot at its start and then every second, the
/// path manager's events as they come, for `seconds` or until a stop is requested (Ctrl-C ends
/// the window early; the bundle is still written). Everything seen goes to the sinks.
struct ReportWindow {
    let seconds: Double
    let sampler: Sampler?
    let events: PathManagerEventSource?
    let stop: StopSignal
    var clock: Clock = .system

    struct Outcome {
        var elapsed: Double = 0
        var stoppedEarly = false
        var samples = 0
        var last: Snapshot?
        /// Why sampling stopped before the end, when it did.
        var sampleError: String?
        /// The window's events, bounded, for the diagnosis.
        var log = PathManagerEventLog()
    }

    /// Runs the window; `progress(done, total)` is called with whole seconds as they pass.
    func run(into sinks: [ReportWindowSink], progress: (Int, Int) -> Void) throws -> Outcome {
        var outcome = Outcome()
        let start = clock.monotonicNanos()
        let total = UInt64(seconds * 1e9)
        let totalSeconds = Int(seconds.rounded(.up))
        var tick: UInt64 = 0
        while true {
            if let sampler, outcome.sampleError == nil {
                // A sample that fails (the namespace went away) ends the samples, not the bundle;
                // a sink that cannot write ends the bundle, which would be incomplete.
                var snapshot: Snapshot?
                do { snapshot = try sampler.sample() } catch { outcome.sampleError = "\(error)" }
                if let snapshot {
                    for s in sinks { try s.take(snapshot) }
                    outcome.samples += 1
                    outcome.last = snapshot
                }
            }
            let elapsed = clock.monotonicNanos() &- start
            progress(min(totalSeconds, Int(elapsed / 1_000_000_000)), totalSeconds)
            if elapsed >= total || stop.isStopped { break }
            tick += 1
            let next = start &+ min(total, tick * 1_000_000_000)
            try waitForEvents(until: next, into: sinks, &outcome)
        }
        // Events that came with the last sample.
        if let events { try deliver(events.drain(), to: sinks, &outcome) }
        outcome.elapsed = Double(clock.monotonicNanos() &- start) / 1e9
        outcome.stoppedEarly = stop.isStopped && outcome.elapsed < seconds
        return outcome
    }

    /// Sleeps until `deadline` (monotonic), handing events to the sinks as they arrive.
    private func waitForEvents(until deadline: UInt64, into sinks: [ReportWindowSink], _ outcome: inout Outcome) throws {
        while true {
            let now = clock.monotonicNanos()
            guard now < deadline, !stop.isStopped else { return }
            var fds = [pollfd(fd: stop.readEnd, events: Int16(POLLIN), revents: 0)]
            if let events { fds.append(pollfd(fd: events.fd, events: Int16(POLLIN), revents: 0)) }
            let ms = Int32(min(1000, (deadline - now + 999_999) / 1_000_000))
            _ = try? Poll.wait(&fds, milliseconds: ms)
            if let events, fds.count > 1, fds[1].revents != 0 { try deliver(events.drain(), to: sinks, &outcome) }
        }
    }

    private func deliver(_ batch: PathManagerEventBatch, to sinks: [ReportWindowSink], _ outcome: inout Outcome) throws {
        guard batch.overrun || !batch.events.isEmpty else { return }
        outcome.log.append(batch)
        for s in sinks { try s.take(batch) }
    }

    /// "10 s", "2.5 s".
    static func secondsText(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s)) s" : "\(s) s"
    }
}
