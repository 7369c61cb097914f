#if canImport(Glibc)
import Glibc
#endif

/// `mptop record`: samples the calling thread's namespace on a fixed schedule into a recording,
/// with the path-manager events in between (when the kernel lets mptop subscribe), the MIB
/// counters and, per block, the path-manager setup, until the duration is up or a stop is
/// requested (Ctrl-C). Each sample is written as it is taken.
public final class RecordingSession {
    public struct Options: Sendable {
        public var interval: Double = 1
        public var duration: Double?
        public var namespace: String?
        public var processes = true
        public init() {}
    }

    /// What was recorded, for the closing line.
    public struct Summary: Sendable {
        public let samples: Int
        public let connectionSamples: Int
        public let bytes: Int
        public let busyMicroseconds: UInt64
        public let path: String

        /// "recorded 60 samples (60,000 connection-samples) to F: 4.1 MB, 68.2 bytes per
        /// connection-sample, 3.1 ms per sample to write"
        public var text: String {
            let perConnection = connectionSamples > 0 ? Units.fixed(Double(bytes) / Double(connectionSamples), decimals: 1) : "-"
            let cost = samples > 0 ? Units.fixed(Double(busyMicroseconds) / Double(samples) / 1000, decimals: 2) : "-"
            return "recorded \(samples) samples (\(connectionSamples) connection-samples) to \(path.escapedForTerminal): "
                + "\(Units.bytes(UInt64(bytes))), \(perConnection) bytes per connection-sample, \(cost) ms per sample to encode and write"
        }
    }

    public let options: Options
    public let writer: RecordingWriter
    private let sampler: Sampler
    private let events: PathManagerEventSource?
    /// Why there are no events in the recording (no CAP_NET_ADMIN), for a note.
    public let eventsUnavailable: String?
    private var connectionSamples = 0

    /// Opens the sampler and the event subscription in the calling thread's namespace, then
    /// creates the file (so a kernel that cannot be read leaves no empty recording behind).
    public init(path: String, writerName: String, options: Options) throws {
        self.options = options
        sampler = try Sampler(options: .init(processes: options.processes, namespace: options.namespace))
        var unavailable: String?
        var source: PathManagerEventSource?
        do { source = try PathManagerEventSource() } catch { unavailable = "\(error)" }
        events = source
        eventsUnavailable = unavailable
        writer = try RecordingWriter(path: path, header: .current(writer: writerName, namespace: options.namespace, interval: options.interval))
    }

    /// Records until the duration is over or `stop` fires; returns what was recorded. Each
    /// sample, once written, is also handed to `sampled` (`mptop record --json` prints it).
    public func run(stop: StopSignal, sampled: (Snapshot) throws -> Void = { _ in }) throws -> Summary {
        let clock = Clock.system
        let start = clock.monotonicNanos()
        let end = options.duration.map { start &+ UInt64($0 * 1e9) }
        var deadline = start
        while true {
            try sampled(try record())
            deadline &+= UInt64(options.interval * 1e9)
            let now = clock.monotonicNanos()
            if deadline < now { deadline = now }  // fixed rate, but a long stall does not make a burst
            if let end, deadline > end { break }
            if wait(until: deadline, stop: stop) {
                // Events ride in the next sample's record, so those since the last sample would
                // go with the stop: one more sample, at the moment of the stop, carries them (a
                // stop with none pending adds nothing).
                if let events { writer.note(events.drain()) }
                if writer.hasPendingEvents { try sampled(try record()) }
                break
            }
        }
        writer.close()
        return summary
    }

    public var summary: Summary {
        Summary(samples: writer.samples, connectionSamples: connectionSamples, bytes: writer.size,
                busyMicroseconds: writer.busyMicroseconds, path: writer.path)
    }

    private func record() throws -> Snapshot {
        let snapshot = try sampler.sample()
        if let events { writer.note(events.drain()) }
        try writer.append(snapshot, namespace: options.namespace)
        connectionSamples += snapshot.connections.count
        return snapshot
    }

    /// Waits until `deadline` (monotonic ns), taking events as they come so the socket's buffer
    /// does not overflow on a busy host. True when a stop was requested.
    private func wait(until deadline: UInt64, stop: StopSignal) -> Bool {
        while true {
            let now = Clock.system.monotonicNanos()
            if now >= deadline { return stop.isStopped }
            var fds = [pollfd(fd: stop.readEnd, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: events?.fd ?? -1, events: Int16(POLLIN), revents: 0)]
            let ms = Int32(min(1000, (deadline - now + 999_999) / 1_000_000))
            _ = try? Poll.wait(&fds, milliseconds: ms)
            if fds[0].revents != 0 { return true }
            if fds[1].revents != 0, let events { writer.note(events.drain()) }
        }
    }
}
