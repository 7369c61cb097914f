#if canImport(Glibc)
import Glibc
#endif

/// Writes whole strings to stdout/stderr with write(2): one system call per report, no stdio
/// buffering to flush, and no shared C globals for Swift 6 to worry about.
public enum Console {
    public static func out(_ s: String) { write(fd: 1, s) }
    public static func err(_ s: String) { write(fd: 2, s) }

    public static func write(fd: Int32, _ s: String) {
        var s = s
        s.withUTF8 { buf in
            var off = 0
            while off < buf.count {
                let n = Glibc.write(fd, buf.baseAddress! + off, buf.count - off)
                if n < 0 {
                    if errno == EINTR { continue }
                    return // EPIPE and the like: the reader is gone, nothing left to tell
                }
                off += n
            }
        }
    }
}
