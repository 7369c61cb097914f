import MPTCPKit
#if canImport(Glibc)
import Glibc
#endif

/// Replaces a file's contents atomically: the bytes go to a temporary file beside it
/// (`.NAME.PID.tmp`, which a textfile collector reading `*.prom` ignores), are flushed to disk,
/// and the temporary file is renamed over the target, so a reader sees the old file or the new
/// one, never half of one.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard !name.isEmpty else { throw MPTopError.usage("'\(path)' is a directory, not a file name") }
        let temporary = (directory.isEmpty ? "" : directory + "/") + ".\(name).\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw MPTopError.io("cannot write \(temporary): \(MPTopError.errnoText(errno))") }
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
        if failure == 0, fsync(fd) != 0 { failure = errno }
        close(fd)
        if failure == 0, rename(temporary, path) != 0 { failure = errno }
        if failure != 0 {
            unlink(temporary)
            throw MPTopError.io("cannot write \(path): \(MPTopError.errnoText(failure))")
        }
    }
}
