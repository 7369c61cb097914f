import FoundationEssentials
import MPTCPKit
#if canImport(Glibc)
import Glibc
#endif

/// Whether this machine can run a `Lab`.
public enum LabEnvironment {
    /// nil when lab tests can run here; otherwise one line saying why not (not root, `ip` or
    /// `tc` missing, MPTCP absent or disabled, namespaces refused). Tests turn it into a skip,
    /// so a machine that cannot run them never reports them as passed.
    public static func skipReason() -> String? {
        cachedSkipReason
    }

    /// Probing creates and deletes a namespace; once per process is enough.
    private static let cachedSkipReason: String? = probe()

    private static func probe() -> String? {
        let uid = geteuid()
        if uid != 0 {
            return "lab tests need root to create network namespaces (running as uid \(uid))"
        }
        for tool in ["ip", "tc"] where ShellCommand.locate(tool) == nil {
            return "'\(tool)' (iproute2) is not installed"
        }
        let sysctl = "/proc/sys/net/mptcp/enabled"
        guard let enabled = try? MPTCPSysctl.mptcpEnabled() else {
            return "this kernel has no MPTCP (\(sysctl) is missing)"
        }
        if !enabled {
            return "MPTCP is disabled (\(sysctl) is 0)"
        }
        let probe = LabNamespaceName.makeStem() + "-probe"
        do {
            try ShellCommand.check("ip", ["netns", "add", probe])
        } catch {
            return "cannot create a network namespace: \(error)"
        }
        _ = try? ShellCommand.run("ip", ["netns", "delete", probe])
        return nil
    }
}
