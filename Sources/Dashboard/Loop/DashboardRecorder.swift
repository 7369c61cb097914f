import MPTCPKit
#if canImport(Glibc)
import Glibc
#endif

/// The `R` key's recording: what the dashboard samples, the events it gets and the counters it
/// reads go into a file like `mptop record` makes, named `mptop-YYYYmmdd-HHMMSS.mptrec` in the
/// current directory (or /tmp when that is not writable).
public final class DashboardRecorder {
    private let namespace: String?
    private let writerName: String
    private let directories: [String]
    private let clock: Clock
    private var writer: RecordingWriter?

    public init(namespace: String?, writerName: String, directories: [String] = [".", "/tmp"], clock: Clock = .system) {
        self.namespace = namespace
        self.writerName = writerName
        self.directories = directories
        self.clock = clock
    }

    public var isRecording: Bool { writer != nil }

    public var status: RecordingStatus? {
        writer.map { RecordingStatus(path: $0.path, samples: $0.samples, bytes: $0.size) }
    }

    /// Starts recording to `path` (`mptop demo --record FILE`); throws when it cannot be created.
    public func start(path: String, interval: Double) throws {
        writer = try RecordingWriter(path: path, header: .current(writer: writerName, namespace: namespace, interval: interval, clock: clock))
    }

    /// Starts a new recording under a name of its own; returns the line for the footer.
    public func start(interval: Double) -> String {
        let name = "mptop-" + Self.stamp(clock.wallSeconds()) + ".mptrec"
        var problems: [String] = []
        for dir in directories {
            do {
                try start(path: dir == "." ? name : dir + "/" + name, interval: interval)
                return "recording (R again stops)"
            } catch {
                problems.append("\(error)")
            }
        }
        return "cannot record: " + problems.joined(separator: "; ")
    }

    /// Writes one sample with the counters the dashboard read; returns a problem for the footer
    /// (the recording is then stopped), nil when all went well.
    public func record(_ snapshot: Snapshot, counters: [MPTCPCounterChange]) -> String? {
        guard let writer else { return nil }
        let read = counters.isEmpty ? nil : MPTCPCounters(entries: counters.map { .init(name: $0.name, value: $0.value) })
        let namespace = self.namespace
        do {
            try writer.append(snapshot, counters: read, setup: { RecordingWriter.setup(namespace: namespace) })
            return nil
        } catch {
            self.writer = nil
            return "recording stopped: \(error)"
        }
    }

    public func note(_ batch: PathManagerEventBatch) { writer?.note(batch) }

    /// Stops; returns the line for the footer, nil when nothing was recording.
    @discardableResult
    public func stop() -> String? {
        guard let w = writer else { return nil }
        w.close()
        writer = nil
        return "recorded \(w.samples) samples to \(w.path) (\(Units.bytes(UInt64(w.size))))"
    }

    /// "20261201-094512" in local time.
    static func stamp(_ wall: Double) -> String {
        var t = time_t(wall)
        var parts = tm()
        localtime_r(&t, &parts)
        let f = { (n: Int32) in String(format2: Int(n)) }
        return "\(parts.tm_year + 1900)" + f(parts.tm_mon + 1) + f(parts.tm_mday) + "-" + f(parts.tm_hour) + f(parts.tm_min) + f(parts.tm_sec)
    }
}
