/// Which path manager handles a connection. The kernel fixes it when the connection is created,
/// from `net.mptcp.path_manager` / `pm_type` of that moment (docs/kernel.md, "The path manager"), and reports it
/// nowhere per connection: mptop takes the namespace's current setting as the best guess and
/// falls back when the kernel answers "userspace PM not selected".
/// A struct rather than an enum so a `path_manager` value a newer kernel adds is kept as it
/// came (diagnose and the dashboard show it); every decision compares with `.kernel` or
/// `.userspace`, and `current()` takes anything else for the in-kernel one.
public struct PathManagerKind: RawRepresentable, Hashable, Sendable {
    /// The sysctl's word for it.
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public static let kernel = PathManagerKind(rawValue: "kernel")
    public static let userspace = PathManagerKind(rawValue: "userspace")

    /// The current namespace's setting (in-kernel when unreadable, the kernel's default).
    public static func current(_ sysctl: MPTCPSysctl = .read()) -> PathManagerKind {
        sysctl.pathManager == .userspace ? .userspace : .kernel
    }
}
