/// Whether this process may change MPTCP state. Every action (SOCK_DESTROY, the path manager's
/// SET_FLAGS / SUBFLOW_*, nftables) needs CAP_NET_ADMIN; checking up front lets mptop say so in
/// one line before anything is touched. The capability itself is read by `Capabilities`.
public enum Privileges {
    public static func hasNetAdmin() -> Bool { Capabilities.hasNetAdmin() }

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
