import CNetlink
#if canImport(Glibc)
import Glibc
#endif

/// Entering a named network namespace, as `ip -n NAME` does (`/run/netns/NAME`).
public enum NetworkNamespace {
    /// Moves the calling thread into namespace `name` (checked by `NetworkNamespaceName`: a
    /// usage error for one that is not a name). Call it before opening any socket: a socket
    /// stays in the namespace it was created in.
    public static func enter(_ name: String) throws {
        try enter(NetworkNamespaceName(validating: name))
    }

    public static func enter(_ namespace: NetworkNamespaceName) throws {
        let name = namespace.rawValue
        let path = "/run/netns/\(name)"
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let e = errno
            if e == ENOENT { throw MPTopError.noSuchNamespace(name) }
            if e == EACCES || e == EPERM { throw MPTopError.namespacePermission(name) }
            throw MPTopError.netlink("cannot open \(path)", errno: e)
        }
        defer { close(fd) }
        let r = mptop_setns_net(fd)
        if r == -EPERM { throw MPTopError.namespacePermission(name) }
        if r == -EINVAL { throw MPTopError.noSuchNamespace(name) } // a file there that is not a netns
        guard r == 0 else { throw MPTopError.netlink("cannot enter namespace \(NetworkNamespaceName.quoted(name))", errno: -r) }
    }
}

extension NetworkNamespace {
    /// The namespace the calling thread is in now, to come back to later (the demo leaves the
    /// lab's namespace before deleting it, or it would count itself among the lab's processes).
    public final class Saved {
        private let fd: Int32

        public init() throws {
            // thread-self: setns moves the calling thread, which need not be the main one.
            fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw MPTopError.netlink("cannot open /proc/thread-self/ns/net", errno: errno) }
        }

        deinit { close(fd) }

        public func restore() throws {
            let r = mptop_setns_net(fd)
            guard r == 0 else { throw MPTopError.netlink("cannot return to the original network namespace", errno: -r) }
        }
    }
}
