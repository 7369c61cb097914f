import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// Replaces a file's contents atomically, the one way mptop does it (undo journals, lab markers,
/// dashboard settings, the exporter's textfile): the bytes go to a temporary file beside the
/// target, created with the given mode and never through a symlink, are flushed to disk, and the
/// temporary file is renamed over the target, so a reader sees the old file or the new one,
/// never half of one.
public enum AtomicFile {
    /// What to do when the temporary file's name is already taken (a run that died mid-write).
    public enum Leftover: Sendable {
        /// Truncate and reuse it (still never through a symlink).
        case reuse
        /// Refuse: the caller removed its own leftovers, and anything there now is someone else's.
        case refuse
    }

    /// Why the write failed: the errno, and whether it was the temporary file that could not be made.
    public struct Failure: Error, Sendable {
        public let errno: Errno
        public let creatingTemporary: Bool
    }

    /// Writes `bytes` to `temporary` and renames it over `name`, both relative to `directory`
    /// (an open directory, or the current one for paths). On failure the temporary file is
    /// removed. Without `overwrite` an existing `name` is left alone and the write fails with
    /// EEXIST: the file is linked into place (link(2) never replaces, not even a symlink) instead
    /// of renamed, so the check and the placing are one step.
    public static func replace(_ name: String, in directory: FileDescriptor = .currentDirectory, through temporary: String,
                               leftover: Leftover, mode: mode_t, with bytes: [UInt8], overwrite: Bool = true) throws(Failure) {
        let options: FileDescriptor.OpenOptions = [.create, .noFollow, .closeOnExec, leftover == .refuse ? .exclusiveCreate : .truncate]
        let fd: FileDescriptor
        do { fd = try directory.open(temporary, .writeOnly, options: options, permissions: FilePermissions(rawValue: mode)) } catch {
            throw Failure(errno: error, creatingTemporary: true)
        }
        do throws(Errno) {
            try writeAndSync(fd, bytes)
            if overwrite {
                try directory.rename(temporary, to: name)
            } else {
                try directory.link(temporary, as: name)
                try? directory.remove(temporary)
            }
        } catch {
            try? directory.remove(temporary)
            throw Failure(errno: error, creatingTemporary: false)
        }
    }

    /// Writes all of `bytes` to the new file `fd`, flushes it to disk and closes it.
    private static func writeAndSync(_ fd: FileDescriptor, _ bytes: [UInt8]) throws(Errno) {
        defer { try? fd.close() }
        _ = try Errno.catching { try fd.writeAll(bytes) }
        try fd.sync()
    }

    /// `bytes` to `path` through `.NAME.PID.tmp` beside it (which a textfile collector reading
    /// `*.prom` ignores). The exporter's textfile: mode 0644, replacing the last one, a
    /// leftover temporary file reused. A debug bundle: mode 0600, an existing file refused
    /// unless `overwrite`, a leftover refused (the directory may be anyone's, like /tmp).
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644,
                             overwrite: Bool = true, leftover: Leftover = .reuse) throws {
        guard let temporary = temporaryPath(beside: path) else { throw MPTopError.invalidRequest("'\(path)' is a directory, not a file name") }
        do {
            try replace(path, through: temporary, leftover: leftover, mode: mode, with: bytes, overwrite: overwrite)
        } catch {
            throw SystemCallError(.write, error.creatingTemporary ? temporary : path, error.errno)
        }
    }
}

extension AtomicFile {
    /// `.NAME.PID.tmp` in the directory of `path`; nil when `path` names no file ("dir/").
    static func temporaryPath(beside path: String) -> String? {
        // The directory part keeps its slash: "/x" is in "/", not in the current directory.
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard !name.isEmpty else { return nil }
        return directory + ".\(name).\(getpid()).tmp"
    }
}

extension AtomicFile.Leftover: Equatable {}
