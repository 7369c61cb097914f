import MPTCPKit
import SystemPackage

/// Takes what a debug bundle's sampling window sees, as it is seen: every snapshot (one a
/// second) and every batch of path-manager events. The bundle's snapshots.jsonl and events.jsonl
/// are two sinks; a recording for `mptop replay` is meant to be one more, handed to
/// `ReportCollector` (`extraSinks`), writing its file into the bundle's directory.
public protocol ReportWindowSink: AnyObject {
    func take(_ snapshot: Snapshot) throws
    func take(_ batch: PathManagerEventBatch) throws
    /// Called once, when the window has ended: the file is complete. Returns its manifest entry.
    func finish() throws -> ReportManifest.Entry
}

/// A JSON Lines file in the bundle's directory, written line by line as the window runs (a busy
/// host's snapshots would be large to hold until the end). A file that got no line is removed
/// and named as not collected, so every file in a bundle has something in it.
final class JSONLinesFile {
    let name: String
    private let directory: PrivateDirectory
    private var fd: FileDescriptor?
    private(set) var lines = 0
    private var buffer: [UInt8] = []

    init(_ name: String, in directory: PrivateDirectory) throws {
        self.name = name
        self.directory = directory
        fd = try directory.create(name)
    }

    deinit { try? fd?.close() }

    /// Appends `line` (one JSON object, without its newline).
    func append(_ line: String) throws {
        buffer.append(contentsOf: line.utf8)
        buffer.append(0x0a)
        lines += 1
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Appends a line `render` builds straight into the buffer (a snapshot's JSON).
    func append(rendering render: (inout [UInt8]) -> Void) throws {
        render(&buffer)
        buffer.append(0x0a)
        lines += 1
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Writes what is buffered and closes the file; removes it when it got no line. True when it
    /// is in the bundle.
    func close() throws -> Bool {
        try flush()
        guard let open = fd else { return lines > 0 }
        fd = nil
        do throws(Errno) {
            defer { try? open.close() }
            try open.sync()
        } catch {
            throw SystemCallError(.write, "\(directory.path)/\(name)", error)
        }
        if lines == 0 { directory.remove(name) }
        return lines > 0
    }

    private func flush() throws {
        defer { buffer.removeAll(keepingCapacity: true) }
        guard let fd, !buffer.isEmpty else { return }
        do { _ = try Errno.catching { try fd.writeAll(buffer) } } catch {
            throw SystemCallError(.write, "\(directory.path)/\(name)", error)
        }
    }
}

/// snapshots.jsonl: one `mptop --json` object per sample of the window.
final class SnapshotLinesSink: ReportWindowSink {
    static let name = "snapshots.jsonl"
    static let about = "one `mptop --json` snapshot a second during the window (connections, subflows, interfaces, rates)"
    private let file: JSONLinesFile

    init(in directory: PrivateDirectory) throws { file = try JSONLinesFile(Self.name, in: directory) }

    func take(_ snapshot: Snapshot) throws { try file.append { SnapshotJSON.render(snapshot, into: &$0) } }
    func take(_ batch: PathManagerEventBatch) throws {}

    func finish() throws -> ReportManifest.Entry {
        let written = try file.close()
        return ReportManifest.Entry(Self.name, Self.about, written ? .collected() : .notCollected("no sample could be taken"))
    }
}

/// events.jsonl: the path manager's events of the window, as `mptop events --json` prints them.
final class EventLinesSink: ReportWindowSink {
    static let name = "events.jsonl"
    static let about = "path-manager events during the window, as `mptop events --json` (like `ip mptcp monitor`)"
    private let file: JSONLinesFile
    private let seconds: Double

    init(in directory: PrivateDirectory, seconds: Double) throws {
        file = try JSONLinesFile(Self.name, in: directory)
        self.seconds = seconds
    }

    func take(_ snapshot: Snapshot) throws {}

    func take(_ batch: PathManagerEventBatch) throws {
        if batch.overrun { try file.append(PathManagerEventJSON.overrun(time: Clock.system.wallSeconds())) }
        for e in batch.events { try file.append(PathManagerEventJSON.render(e)) }
    }

    func finish() throws -> ReportManifest.Entry {
        let written = try file.close()
        return ReportManifest.Entry(Self.name, Self.about,
                                    written ? .collected() : .notCollected("no event in the \(ReportWindow.secondsText(seconds)) window"))
    }
}
