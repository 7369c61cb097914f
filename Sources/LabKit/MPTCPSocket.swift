import CNetlink
import MPTCPKit
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// The socket calls the traffic generator makes, which swift-system does not wrap, each wrapped
/// once here: a typed `Errno`, EINTR retried, "would block" as nil rather than an error. (Waiting
/// on several sockets is `Poll.wait`.) Callers turn a failure into a one-line `LabError` naming
/// the operation and the address.
enum MPTCPSocket {
    /// A new non-blocking MPTCP stream socket of `family`.
    static func open(family: Int32) throws -> Int32 {
        let fd = mptop_mptcp_socket(family)
        guard fd >= 0 else {
            let code = -fd
            if code == EPROTONOSUPPORT || code == ENOPROTOOPT || code == EINVAL {
                throw LabError(.system, "cannot create an MPTCP socket: \(Errno(rawValue: code).text) "
                    + "(is MPTCP enabled? see /proc/sys/net/mptcp/enabled)", errno: Errno(rawValue: code))
            }
            throw LabError.system("cannot create an MPTCP socket", errno: code)
        }
        setNonBlocking(fd)
        return fd
    }

    /// Sets O_NONBLOCK: every socket here is driven by one poll loop.
    static func setNonBlocking(_ fd: Int32) {
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK) }
    }

    /// Sets an integer socket option, ignoring failure (used for best-effort tuning only).
    static func setOption(_ fd: Int32, level: Int32, name: Int32, value: Int32) {
        var v = value
        _ = setsockopt(fd, level, name, &v, socklen_t(MemoryLayout<Int32>.size))
    }

    /// The pending error of a socket (SO_ERROR), e.g. the result of a non-blocking connect.
    static func pendingError(_ fd: Int32) -> Int32 {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &value, &length) == 0 else { return errno }
        return value
    }

    /// Sends from `bytes` (MSG_NOSIGNAL plus `flags`); how many went, nil when the send buffer
    /// is full.
    static func send(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, flags: Int32 = 0) throws(Errno) -> Int? {
        try wouldBlockAsNil { Glibc.send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL) | flags) }
    }

    /// Receives into `buffer`; how many bytes came (0: the peer closed its side), nil when none
    /// are waiting.
    static func receive(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(Errno) -> Int? {
        try wouldBlockAsNil { recv(fd, buffer.baseAddress, buffer.count, 0) }
    }

    /// The next connection waiting on `listener`, non-blocking and close-on-exec, with its peer's
    /// address; nil when the backlog is empty.
    static func accept(_ listener: Int32) throws(Errno) -> (fd: Int32, peer: sockaddr_storage)? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let accepted = try wouldBlockAsNil {
            withUnsafeMutablePointer(to: &storage) {
                // accept4 needs _GNU_SOURCE, which Glibc's Swift module does not define.
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.accept(listener, $0, &length) }
            }
        }
        guard let fd = accepted else { return nil }
        setNonBlocking(fd)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        return (fd, storage)
    }

    /// `body` again while a signal interrupts it; nil for EAGAIN, the `Errno` for another failure.
    private static func wouldBlockAsNil<Result: FixedWidthInteger>(_ body: () -> Result) throws(Errno) -> Result? {
        do { return try retryingInterrupts(body) } catch {
            if error == .wouldBlock { return nil }
            throw error
        }
    }

    /// The socket's local address.
    static func localEndpoint(_ fd: Int32) -> TrafficEndpoint? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) == 0 }
        }
        return ok ? TrafficEndpoint(storage) : nil
    }
}
