#if canImport(Glibc)
import Glibc
#endif

/// Which network namespace a file refers to: the device and inode of its nsfs entry, the same
/// for `/run/netns/NAME` and `/proc/thread-self/ns/net` when they are one namespace.
struct NamespaceIdentity: Equatable, Hashable {
    let device: UInt64
    let inode: UInt64

    init?(path: String) {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
    }

    /// The namespace named `name` in /run/netns (as `ip netns` names them), nil when none is.
    init?(named name: String) { self.init(path: "/run/netns/\(name)") }

    static func ofThisThread() -> NamespaceIdentity? { NamespaceIdentity(path: "/proc/thread-self/ns/net") }
}
