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
        public let errno: Int32
        public let creatingTemporary: Bool
    }

    /// Writes `bytes` to `temporary` and renames it over `name`, both relative to `directory`
    /// (an open directory descriptor, or AT_FDCWD for paths). On failure the temporary file is
    /// removed. Without `overwrite` an existing `name` is left alone and the write fails with
    /// EEXIST: the file is linked into place (link(2) never replaces, not even a symlink) instead
    /// of renamed, so the check and the placing are one step.
    public static func replace(_ name: String, in directory: Int32 = AT_FDCWD, through temporary: String,
                               leftover: Leftover, mode: mode_t, with bytes: [UInt8], overwrite: Bool = true) throws {
        let flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | (leftover == .refuse ? O_EXCL : O_TRUNC)
        let fd = openat(directory, temporary, flags, mode)
        guard fd >= 0 else { throw Failure(errno: errno, creatingTemporary: true) }
        var failure = writeAll(fd, bytes)
        if failure == 0 && fsync(fd) != 0 { failure = errno }
        close(fd)
        if failure == 0 {
            if overwrite {
                if renameat(directory, temporary, directory, name) != 0 { failure = errno }
            } else if linkat(directory, temporary, directory, name, 0) != 0 {
                failure = errno
            } else {
                unlinkat(directory, temporary, 0)
            }
        }
        guard failure == 0 else {
            unlinkat(directory, temporary, 0)
            throw Failure(errno: failure, creatingTemporary: false)
        }
    }

    /// Writes all of `bytes` to `fd`; 0, or the errno of the write that failed.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32 {
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return 0 } // nothing to write
            var written = 0
            while written < raw.count {
                let n = Glibc.write(fd, base + written, raw.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += n
            }
            return 0
        }
    }

    /// `bytes` to `path` through `.NAME.PID.tmp` beside it (which a textfile collector reading
    /// `*.prom` ignores). The exporter's textfile: mode 0644, replacing the last one, a
    /// leftover temporary file reused. A debug bundle: mode 0600, an existing file refused
    /// unless `overwrite`, a leftover refused (the directory may be anyone's, like /tmp).
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644,
                             overwrite: Bool = true, leftover: Leftover = .reuse) throws {
        guard let temporary = temporaryPath(beside: path) else { throw MPTopError.usage("'\(path)' is a directory, not a file name") }
        do {
            try replace(path, through: temporary, leftover: leftover, mode: mode, with: bytes, overwrite: overwrite)
        } catch let f as Failure {
            throw MPTopError.io("cannot write \(f.creatingTemporary ? temporary : path): \(MPTopError.errnoText(f.errno))")
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
