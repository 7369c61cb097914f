import CNetlink
#if canImport(Glibc)
import Glibc
#endif

/// Thin helpers over the socket calls the traffic generator makes. Every failure becomes a
/// one-line `LabError` naming the operation and the address.
enum MPTCPSocket {
    /// A new non-blocking MPTCP stream socket of `family`.
    static func open(family: Int32) throws -> Int32 {
        let fd = mptop_mptcp_socket(family)
        guard fd >= 0 else {
            let code = -fd
            if code == EPROTONOSUPPORT || code == ENOPROTOOPT || code == EINVAL {
                throw LabError(.system, "cannot create an MPTCP socket: \(errnoText(code)) "
                    + "(is MPTCP enabled? see /proc/sys/net/mptcp/enabled)")
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
