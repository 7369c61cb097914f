#if canImport(Glibc)
import Glibc
#endif

/// One `net.mptcp.*` sysctl as the kernel reports it.
public struct MPTCPSysctlValue: Sendable, Equatable {
    /// The name under net.mptcp, e.g. "add_addr_timeout".
    public let name: String
    public let value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

extension MPTCPSysctl {
    /// Every sysctl under `root`, sorted by name. The set differs per kernel (docs/kernel.md, "Sysctls"), so the
    /// directory is listed rather than a fixed list read. Empty when MPTCP is missing.
    public static func readAll(root: String = "/proc/sys/net/mptcp") -> [MPTCPSysctlValue] {
        guard let dir = opendir(root) else { return [] }
        defer { closedir(dir) }
        var out: [MPTCPSysctlValue] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard !name.hasPrefix("."), let value = readValue("\(root)/\(name)") else { continue }
            out.append(MPTCPSysctlValue(name: name, value: value))
        }
        return out.sorted { $0.name < $1.name }
    }
}
