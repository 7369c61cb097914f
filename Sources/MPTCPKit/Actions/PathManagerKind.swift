/// Which path manager handles a connection. The kernel fixes it when the connection is created,
/// from `net.mptcp.path_manager` / `pm_type` of that moment (KERNEL.md 6.3), and reports it
/// nowhere per connection: mptop takes the namespace's current setting as the best guess and
/// falls back when the kernel answers "userspace PM not selected".
public enum PathManagerKind: String, Sendable, Equatable {
    case kernel, userspace

    /// The current namespace's setting (in-kernel when unreadable, the kernel's default).
    public static func current(_ sysctl: MPTCPSysctl = .read()) -> PathManagerKind {
        sysctl.pathManager == "userspace" ? .userspace : .kernel
    }
}
