import MPTCPKit

/// recording.mptrec: the window as `mptop record` would have recorded it (samples, events, MIB
/// counters, the path-manager setup), so a maintainer can `mptop replay` it: the dashboard on
/// what the reporter's machine saw, without root or MPTCP.
final class RecordingSink: ReportWindowSink {
    static let name = "recording.mptrec"
    static let about = "the window recorded for `mptop replay recording.mptrec` (the dashboard as it was; `--json` for the snapshots)"
    private let writer: RecordingWriter
    private let namespace: String?
    private let directory: PrivateDirectory

    init(in directory: PrivateDirectory, writerName: String, namespace: String?, interval: Double) throws {
        self.namespace = namespace
        self.directory = directory
        // Inside the bundle's private directory (0700): created O_EXCL|O_NOFOLLOW, mode 0600.
        writer = try RecordingWriter(path: directory.path + "/" + Self.name,
                                     header: .current(writer: writerName, namespace: namespace, interval: interval))
    }

    func take(_ snapshot: Snapshot) throws {
        try writer.append(snapshot, namespace: namespace)
    }

    func take(_ batch: PathManagerEventBatch) throws { writer.note(batch) }

    func finish() throws -> ReportManifest.Entry {
        writer.close()
        // A header alone replays nothing: like every file of a bundle, it is there with content or not at all.
        guard writer.samples > 0 else {
            directory.remove(Self.name)
            return ReportManifest.Entry(Self.name, Self.about, .notCollected("no sample could be taken"))
        }
        return ReportManifest.Entry(Self.name, Self.about)
    }
}
