import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// poll(2), which swift-system does not wrap, wrapped once for the loops that wait on several
/// descriptors (a tool's pipes, the traffic generator's sockets).
public enum Poll {
    /// How many of `fds` are ready (their `revents` set), waiting up to `milliseconds` (-1: no
    /// limit). 0 when the time passed, or when a signal woke it early: callers loop and work out
    /// what is left of their own deadline, so an interrupted wait is not retried here.
    public static func wait(_ fds: inout [pollfd], milliseconds: Int32) throws(Errno) -> Int {
        let ready = poll(&fds, nfds_t(fds.count), milliseconds)
        guard ready < 0 else { return Int(ready) }
        let e = Errno.current
        if e == .interrupted { return 0 }
        throw e
    }

    /// `fd`'s entry asking for `events` (POLLIN, POLLOUT).
    public static func entry(_ fd: FileDescriptor, _ events: Int32) -> pollfd {
        pollfd(fd: fd.rawValue, events: Int16(events), revents: 0)
    }
}
