import CNetlink
import MPTCPKit
#if canImport(Glibc)
import Glibc
#endif

/// Removing labs: this run's own (`close`), and those of dead runs of this host (`cleanupStale`),
/// which only a `LabMarker` can prove to be such.
extension Lab {
    /// Deletes the namespaces of labs whose marker (in `markers`) says their run is dead and
    /// whose names still point at the namespaces recorded; kills only processes inside those
    /// namespaces. Namespaces that are merely named like a lab are never touched. Returns the
    /// names deleted.
    @discardableResult
    public static func cleanupStale(markers directory: String = LabMarker.defaultDirectory) -> [String] {
        guard let (dir, markers) = LabMarker.all(in: directory) else { return [] }
        var deleted: [String] = []
        for marker in markers where marker.owner.liveness == .dead {
            for ns in marker.namespaces where NetworkNamespaceHandle.identity(named: ns.name) == ns.identity {
                destroy(ns)
                if NetworkNamespaceHandle.identity(named: ns.name) != ns.identity { deleted.append(ns.name) }
            }
            // Kept while a namespace it proves to be the dead run's is still there (a delete
            // that failed is retried by the next cleanup).
            if marker.namespaces.allSatisfy({ NetworkNamespaceHandle.identity(named: $0.name) != $0.identity }) {
                dir.remove(marker.fileName)
            }
        }
        return deleted
    }

    /// Kills every process in namespace `ns` (by identity, never ourselves), then deletes its
    /// name. Errors are ignored: teardown must get as far as it can.
    static func destroy(_ ns: LabMarker.Namespace) {
        for _ in 0..<20 {
            let pids = NetworkNamespaceHandle.processes(in: ns.identity).pids.filter { $0 != getpid() }
            if pids.isEmpty { break }
            for pid in pids { kill(pid, ifStillIn: ns.identity) }
            usleep(50_000)
        }
        _ = try? ShellCommand.run("ip", ["netns", "delete", ns.name])
    }

    /// SIGKILL through a pidfd, after checking (with the pidfd already naming the process) that
    /// it is in `identity`: a pid that was reused meanwhile gets no signal meant for another.
    private static func kill(_ pid: Int32, ifStillIn identity: NamespaceIdentity) {
        let pidfd = mptop_pidfd_open(pid)
        guard pidfd >= 0 else { return }
        defer { Glibc.close(pidfd) }
        guard NamespaceIdentity.of(path: "/proc/\(pid)/ns/net") == identity else { return }
        _ = mptop_pidfd_send_signal(pidfd, SIGKILL)
    }
}
