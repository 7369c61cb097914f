import CNetlink
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// Which namespace a /proc/PID/ns file (or a /run/netns bind mount of one) is: its nsfs device
/// and inode, as `stat` shows them and `ip netns identify` compares them. A name says nothing:
/// `ip netns exec A mptop ...` runs in A without mptop being told, and a name can be given to
/// another namespace later. The identity is what journals and lab markers record.
public struct NamespaceIdentity: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case net, pid
    }

    public let device: UInt64
    public let inode: UInt64

    public init(device: UInt64, inode: UInt64) {
        self.device = device
        self.inode = inode
    }

    /// "DEV:INO", as journals and lab markers store it.
    public var description: String { "\(device):\(inode)" }

    /// Parses "DEV:INO" (decimal, nothing else).
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy(\.isDecimalNumber),
              let d = UInt64(parts[0]), let i = UInt64(parts[1]) else { return nil }
        self.init(device: d, inode: i)
    }

    /// The calling thread's namespace (/proc/thread-self: setns moves one thread, not the process).
    public static func current(_ kind: Kind = .net) throws -> NamespaceIdentity {
        let path = "/proc/thread-self/ns/\(kind.rawValue)"
        guard let identity = of(path: path) else { throw SystemCallError(.read, path, .current) }
        return identity
    }

    /// The identity of a namespace file such as /proc/PID/ns/net (followed: it is a magic
    /// link); nil with errno set when it cannot be read.
    public static func of(path: String) -> NamespaceIdentity? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return NamespaceIdentity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
    }

    /// The same for `path` relative to the directory open as `directory` (fstatat).
    static func of(directory: Int32, path: String) -> NamespaceIdentity? {
        var st = stat()
        guard fstatat(directory, path, &st, 0) == 0 else { return nil }
        return NamespaceIdentity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
    }

    /// The identity behind an open descriptor.
    static func of(descriptor fd: FileDescriptor) -> NamespaceIdentity? {
        guard let st = try? fd.stat() else { return nil }
        return NamespaceIdentity(device: UInt64(st.deviceID.rawValue), inode: UInt64(st.inode.rawValue))
    }

    /// The network namespace's cookie (SO_NETNS_COOKIE): a 64-bit number the kernel never gives
    /// to a second namespace in one boot. Inode numbers are reused as soon as a namespace is
    /// freed, so a journal checks the cookie too before it undoes anything in a namespace whose
    /// inode matches. Nil where the kernel has no such option (before 5.14).
    public static func currentNetworkCookie() -> UInt64? {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var cookie: UInt64 = 0
        var size = socklen_t(MemoryLayout<UInt64>.size)
        let soNetnsCookie: Int32 = 71
        guard getsockopt(fd, SOL_SOCKET, soNetnsCookie, &cookie, &size) == 0, size == 8 else { return nil }
        return cookie
    }
}

/// A network namespace held open by descriptor, found by its identity. Entering goes through
/// the descriptor that was checked, so nothing can swap the namespace between the check and setns.
public final class NetworkNamespaceHandle {
    /// Where `ip netns` keeps the names.
    static let namedDirectory = "/run/netns"

    private let fd: FileDescriptor
    public let identity: NamespaceIdentity
    /// Its name under /run/netns, when it has one.
    public let name: String?

    private init(fd: FileDescriptor, identity: NamespaceIdentity, name: String?) {
        self.fd = fd
        self.identity = identity
        self.name = name
    }

    deinit { try? fd.close() }

    /// A namespace file (never blocking on a FIFO put there); nil when it cannot be opened.
    private static func open(_ path: String, options: FileDescriptor.OpenOptions = []) -> FileDescriptor? {
        try? FileDescriptor.open(FilePath(path), .readOnly, options: options.union([.closeOnExec, .nonBlocking]))
    }

    /// Looks for the namespace `identity`: the named ones under /run/netns, then those of every
    /// live process (/proc/PID/ns/net). Nil when it is in neither: the kernel has freed it, or
    /// only processes mptop may not inspect hold it (`uninspected` counts them), so that no
    /// run of mptop could enter it either.
    public static func find(_ identity: NamespaceIdentity, uninspected: inout Int) -> NetworkNamespaceHandle? {
        if let named = named(identity) { return named }
        let members = processes(in: identity)
        uninspected = members.uninspected
        for pid in members.pids {
            guard let fd = open("/proc/\(pid)/ns/net") else { continue } // gone meanwhile
            // Checked again on the descriptor: the process may have moved or been replaced.
            if NamespaceIdentity.of(descriptor: fd) == identity {
                return NetworkNamespaceHandle(fd: fd, identity: identity, name: nil)
            }
            try? fd.close()
        }
        return nil
    }

    /// The processes whose network namespace is `identity` (/proc/PID/ns/net), and how many
    /// processes could not be inspected (another user's, or a more privileged one).
    public static func processes(in identity: NamespaceIdentity) -> (pids: [Int32], uninspected: Int) {
        var pids: [Int32] = [], uninspected = 0
        for entry in DirectoryEntries.names("/proc") ?? [] where entry.isDecimalNumber {
            guard let pid = Int32(entry) else { continue }
            guard let ns = NamespaceIdentity.of(path: "/proc/\(entry)/ns/net") else {
                if errno == EACCES || errno == EPERM { uninspected += 1 }
                continue // or gone meanwhile
            }
            if ns == identity { pids.append(pid) }
        }
        return (pids, uninspected)
    }

    /// The namespace `identity` if it has a name under /run/netns.
    public static func named(_ identity: NamespaceIdentity) -> NetworkNamespaceHandle? {
        for name in DirectoryEntries.names(namedDirectory) ?? [] {
            guard let fd = open("\(namedDirectory)/\(name)", options: .noFollow) else { continue }
            if NamespaceIdentity.of(descriptor: fd) == identity {
                return NetworkNamespaceHandle(fd: fd, identity: identity, name: name)
            }
            try? fd.close()
        }
        return nil
    }

    /// The identity of the namespace named `name` now, nil when there is none by that name.
    public static func identity(named name: String) -> NamespaceIdentity? {
        guard NetworkNamespaceName.problem(with: name) == nil else { return nil }
        guard let fd = open("\(namedDirectory)/\(name)", options: .noFollow) else { return nil }
        defer { try? fd.close() }
        return NamespaceIdentity.of(descriptor: fd)
    }

    /// Moves the calling thread into this namespace and checks that it got there.
    public func enter() throws {
        let r = mptop_setns_net(fd.rawValue)
        guard r == 0 else { throw SystemCallError(.enter, "network namespace \(name ?? identity.description)", Errno(rawValue: -r)) }
        guard (try? NamespaceIdentity.current()) == identity else {
            throw MPTopError.io("entered network namespace \(name ?? identity.description) but /proc/thread-self/ns/net says otherwise")
        }
    }
}
