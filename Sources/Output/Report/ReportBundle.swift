#if canImport(Glibc)
import Glibc
#endif
import MPTCPKit

/// `mptop report`'s archive: the collected files in a private temporary directory, packed by
/// the system's tar into a .tar.gz there, then placed at the output path the way mptop writes
/// every file it may be asked to write as root: through a fresh O_EXCL|O_NOFOLLOW temporary file
/// beside it (mode 0600: the bundle holds the host's addresses and connections), never through
/// a symlink, never over an existing file unless asked. The temporary directory is removed
/// whatever happens: success, an error, or Ctrl-C.
public enum ReportBundle {
    public struct Summary: Sendable {
        public let manifest: ReportManifest
        /// The files in the archive, README.txt included.
        public let files: Int
        public let bytes: Int
    }

    /// The largest archive read back from the temporary directory.
    static let archiveLimit = 1 << 31

    /// Refuses, before anything is collected, an output that is a symlink or a directory, that
    /// exists when `force` is not given, or whose directory is missing or not writable; and a
    /// machine without tar or gzip.
    public static func check(output path: String, force: Bool) throws {
        var st = stat()
        if lstat(path, &st) == 0 {
            switch st.st_mode & S_IFMT {
            case S_IFLNK: throw MPTopError.io("will not write \(path): it is a symlink")
            case S_IFDIR: throw MPTopError.io("will not write \(path): it is a directory")
            default:
                guard force else { throw MPTopError.io("will not write \(path): it exists (--force replaces it)") }
            }
        } else if errno != ENOENT {
            throw SystemCallError(.write, path, .current)
        } else {
            // Found out now rather than after the whole window: a directory that is missing or
            // not writable.
            let directory = path.lastIndex(of: "/").map { String(path[...$0]) } ?? "."
            if access(directory, W_OK | X_OK) != 0 { throw SystemCallError(.write, path, .current) }
        }
        for tool in ["tar", "gzip"] where ToolRunner.locate(tool) == nil {
            throw MPTopError.io("cannot make a .tar.gz: \(tool) is not installed")
        }
    }

    /// Collects the bundle and writes it to `output`. `extraSinks` and `progress` go to
    /// `ReportCollector.collect`.
    public static func write(_ options: ReportBundleOptions, to output: String, force: Bool, stop: StopSignal,
                             extraSinks: (PrivateDirectory) throws -> [ReportWindowSink] = { _ in [] },
                             progress: (Int, Int) -> Void = { _, _ in }) throws -> Summary {
        try check(output: output, force: force)
        let temporary = try PrivateDirectory.temporary(prefix: "mptop-report.")
        defer { temporary.removeAll() }
        // One directory inside the archive, so unpacking it puts nothing loose in the cwd.
        let top = "mptop-report-" + ReportTime.text(Clock.system.wallSeconds(), format: "%Y%m%dT%H%M%SZ")
        let content = try temporary.makeDirectory(top)
        let manifest = try ReportCollector(options: options, directory: content, stop: stop)
            .collect(extraSinks: extraSinks, progress: progress)
        let archive = "bundle.tar.gz"
        // Made here (0600) for tar to fill, so it is a file of mptop's that `bytes` will read.
        try? temporary.create(archive).close()
        guard let tar = ToolRunner.locate("tar") else { throw MPTopError.io("cannot make a .tar.gz: tar is not installed") }
        // Numeric owner 0: the archive names no user of this machine.
        let packed = try ToolRunner.run(tar, ["-C", temporary.path, "--owner=0", "--group=0", "--numeric-owner",
                                              "-czf", "\(temporary.path)/\(archive)", top], timeout: 300)
        guard packed.status == 0, !packed.timedOut else {
            let why = packed.stderr.split(separator: "\n").first.map(String.init) ?? "exit status \(packed.status)"
            throw MPTopError.io("tar could not pack the bundle: \(why)")
        }
        guard let bytes = try temporary.bytes(archive, limit: archiveLimit) else {
            throw MPTopError.io("tar wrote no archive in \(temporary.path)")
        }
        try AtomicFile.write(bytes, to: output, mode: 0o600, overwrite: force, leftover: .refuse)
        return Summary(manifest: manifest, files: content.names().count, bytes: bytes.count)
    }
}
