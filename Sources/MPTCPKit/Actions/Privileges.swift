#if canImport(Glibc)
import Glibc
#endif

/// Whether this process may change MPTCP state. Every action (SOCK_DESTROY, the path manager's
/// SET_FLAGS / SUBFLOW_*, nftables) needs CAP_NET_ADMIN; checking up front lets mptop say so in
/// one line before anything is touched, and lets the dashboard start read-only.
public enum Privileges {
    static let capNetAdmin = 12

    /// CAP_NET_ADMIN in the effective set (`CapEff` in /proc/self/status).
    public static func hasNetAdmin(statusPath: String = "/proc/self/status") -> Bool {
        guard let f = fopen(statusPath, "r") else { return false }
        defer { fclose(f) }
        var buf = [CChar](repeating: 0, count: 512)
        while fgets(&buf, Int32(buf.count), f) != nil {
            let line = String(cChars: buf)
            guard line.hasPrefix("CapEff:") else { continue }
            let digits = line.dropFirst("CapEff:".count).filter { !$0.isWhitespace }
            guard let mask = UInt64(digits, radix: 16) else { return false }
            return mask & (1 << UInt64(capNetAdmin)) != 0
        }
        return false
    }

    /// Throws `.permission` naming `action` when CAP_NET_ADMIN is missing or `readOnly` is set.
    public static func requireNetAdmin(for action: String, readOnly: Bool = false) throws {
        if readOnly {
            throw MPTopError.permission("read-only mode (--readonly): not allowed to \(action)")
        }
        guard hasNetAdmin() else {
            throw MPTopError.permission("cannot \(action): needs CAP_NET_ADMIN (run as root); nothing was changed")
        }
    }
}
