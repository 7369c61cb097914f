#if canImport(Glibc)
import Glibc
#endif

/// The calling process's effective capabilities, from /proc/self/status (no libcap needed).
public enum Capabilities {
    static let netAdmin = 12  // CAP_NET_ADMIN

    /// Whether the process may change network settings (close subflows, subscribe to events).
    /// It is checked against the namespace mptop started in; a namespace owned by another user
    /// namespace could still refuse, which the kernel then reports as EPERM.
    public static func hasNetAdmin(status: String? = nil) -> Bool {
        guard let mask = effective(status: status) else { return false }
        return mask & (1 << UInt64(netAdmin)) != 0
    }

    /// The CapEff mask, or nil when it cannot be read.
    public static func effective(status: String? = nil) -> UInt64? {
        guard let text = status ?? ((try? TextFile.read("/proc/self/status")) ?? nil) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("CapEff:") {
            return UInt64(line.dropFirst(7).drop { $0 == " " || $0 == "\t" }, radix: 16)
        }
        return nil
    }
}
