import CNetlink
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// Entering a named network namespace, as `ip -n NAME` does (`/run/netns/NAME`).
public enum NetworkNamespace {
    /// Moves the calling thread into namespace `name` (checked by `NetworkNamespaceName`: a
    /// `invalidRequest` error for one that is not a name). Call it before opening any socket: a socket
    /// stays in the namespace it was created in.
    public static func enter(_ name: String) throws {
        try enter(NetworkNamespaceName(validating: name))
    }

    public static func enter(_ namespace: NetworkNamespaceName) throws {
        let name = namespace.rawValue
        let path = "/run/netns/\(name)"
        let fd: FileDescriptor
        do throws(Errno) {
            fd = try Errno.catching { try FileDescriptor.open(FilePath(path), .readOnly, options: .closeOnExec) }
        } catch {
            if error == .noSuchFileOrDirectory { throw MPTopError.noSuchNamespace(name) }
            if error == .permissionDenied || error == .notPermitted { throw MPTopError.namespacePermission(name) }
            // A file that cannot be opened (a symlink loop, an I/O error): said as the open it is.
            throw SystemCallError(.open, path, error)
        }
        defer { try? fd.close() }
        let r = mptop_setns_net(fd.rawValue)
        if r == -EPERM { throw MPTopError.namespacePermission(name) }
        if r == -EINVAL { throw MPTopError.noSuchNamespace(name) } // a file there that is not a netns
        guard r == 0 else { throw SystemCallError(.enter, "namespace \(NetworkNamespaceName.quoted(name))", Errno(rawValue: -r)) }
    }
}

extension NetworkNamespace {
    /// The namespace the calling thread is in now, to come back to later (the demo leaves the
    /// lab's namespace before deleting it, or it would count itself among the lab's processes).
    public final class Saved {
        private let fd: FileDescriptor

        public init() throws {
            // thread-self: setns moves the calling thread, which need not be the main one.
            let path = "/proc/thread-self/ns/net"
            do throws(Errno) {
                fd = try Errno.catching { try FileDescriptor.open(FilePath(path), .readOnly, options: .closeOnExec) }
            } catch {
                throw SystemCallError(.open, path, error)
            }
        }

        deinit { try? fd.close() }

        public func restore() throws {
            let r = mptop_setns_net(fd.rawValue)
            guard r == 0 else { throw SystemCallError(.returnTo, "the original network namespace", Errno(rawValue: -r)) }
        }
    }
}
