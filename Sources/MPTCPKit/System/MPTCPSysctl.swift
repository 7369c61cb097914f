#if canImport(Glibc)
import Glibc
#endif

/// The MPTCP sysctls of the current network namespace (`/proc/sys/net/mptcp`, per netns).
public struct MPTCPSysctl: Sendable {
    /// Nil when the kernel has no MPTCP at all.
    public var enabled: Bool?
    /// `path_manager` (6.15+) as the kernel wrote it, else derived from `pm_type` (1 = userspace).
    public var pathManager: PathManagerKind?
    public var scheduler: String?

    public static func read(root: String = "/proc/sys/net/mptcp") -> MPTCPSysctl {
        var s = MPTCPSysctl()
        s.enabled = readValue("\(root)/enabled").map { $0 != "0" }
        if let pm = readValue("\(root)/path_manager") {
            s.pathManager = PathManagerKind(rawValue: pm)
        } else if let t = readValue("\(root)/pm_type") {
            s.pathManager = t == "1" ? .userspace : .kernel
        }
        s.scheduler = readValue("\(root)/scheduler")
        return s
    }

    /// The one "is MPTCP here?" check every entry point makes, in the namespace it works in:
    /// whether MPTCP is enabled for new sockets (`net.mptcp.enabled`), or `.mptcpMissing` when
    /// this kernel has no MPTCP at all (no `/proc/sys/net/mptcp`).
    public static func mptcpEnabled(root: String = "/proc/sys/net/mptcp") throws -> Bool {
        guard let value = readValue("\(root)/enabled") else { throw MPTopError.mptcpMissing }
        return value != "0"
    }

    /// First line of a small /proc file, trimmed; nil when it cannot be read.
    public static func readValue(_ path: String) -> String? {
        guard let text = (try? TextFile.read(path, limit: 4096)) ?? nil, !text.isEmpty else { return nil }
        var s = text.prefix { $0 != "\n" }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
