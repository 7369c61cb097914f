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
    /// removed.
    public static func replace(_ name: String, in directory: Int32 = AT_FDCWD, through temporary: String,
                               leftover: Leftover, mode: mode_t, with bytes: [UInt8]) throws {
        let flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | (leftover == .refuse ? O_EXCL : O_TRUNC)
        let fd = openat(directory, temporary, flags, mode)
        guard fd >= 0 else { throw Failure(errno: errno, creatingTemporary: true) }
        var written = 0
        var failure: Int32 = 0
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return } // nothing to write
            while written < raw.count {
                let n = Glibc.write(fd, base + written, raw.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                written += n
            }
        }
        if failure == 0 && fsync(fd) != 0 { failure = errno }
        close(fd)
        if failure == 0 && renameat(directory, temporary, directory, name) != 0 { failure = errno }
        guard failure == 0 else {
            unlinkat(directory, temporary, 0)
            throw Failure(errno: failure, creatingTemporary: false)
        }
    }

    /// The exporter's textfile: `bytes` to `path` through `.NAME.PID.tmp` beside it (which a
    /// textfile collector reading `*.prom` ignores), mode 0644.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard !name.isEmpty else { throw MPTopError.usage("'\(path)' is a directory, not a file name") }
        let temporary = (directory.isEmpty ? "" : directory + "/") + ".\(name).\(getpid()).tmp"
        do {
            try replace(path, through: temporary, leftover: .reuse, mode: 0o644, with: bytes)
        } catch let f as Failure {
            throw MPTopError.io("cannot write \(f.creatingTemporary ? temporary : path): \(MPTopError.errnoText(f.errno))")
        }
    }
}

extension AtomicFile.Leftover: Equatable {}
