import FoundationEssentials
import Synchronization
import MPTCPKit
#if canImport(Glibc)
import Glibc
#endif

/// Two network namespaces joined by a "wifi0" and a "cell0" path, with MPTCP set up so that a
/// client connection to the server's service address opens one subflow on each path.
///
/// ```
///  client ns (mptop-<pid>-<hex>-cli)          server ns (mptop-<pid>-<hex>-srv)
///   wifi0 198.18.1.1  2001:db8:1::1  <veth>  wifi0 198.18.1.2  2001:db8:1::2
///   cell0 198.18.2.1  2001:db8:2::1  <veth>  cell0 198.18.2.2  2001:db8:2::2
///                                            lo    198.18.0.1  2001:db8::1 (service)
/// ```
///
/// Everything is created inside the two namespaces (the veth pairs are born there), so the host's
/// interfaces, routes and firewall are never touched and no packet leaves the lab. `close()`
/// (also run by `deinit`) kills what the lab started and deletes both namespaces.
public final class Lab: @unchecked Sendable {
    /// The client namespace, holding wifi0/cell0 and the MPTCP subflow endpoints.
    public let clientNamespace: String
    /// The server namespace, holding the service address.
    public let serverNamespace: String
    /// The options the lab was built with.
    public let options: LabOptions

    private let lock = Mutex(())
    private var processes: [LabProcess] = []
    private var closed = false
    /// What proves to a later run that these namespaces are this run's (written as they are made).
    var marker: LabMarker

    /// Builds the lab. On any failure, whatever was already created is removed before the error
    /// (one line, naming the failing command and its stderr) is thrown.
    public init(options: LabOptions = LabOptions()) throws {
        let stem = LabNamespaceName.makeStem()
        clientNamespace = stem + "-cli"
        serverNamespace = stem + "-srv"
        self.options = options
        marker = LabMarker(stem: stem, owner: try ProcessStamp.current())
        do {
            try build()
        } catch {
            close()
            throw error
        }
    }

    deinit {
        close()
    }

    /// The namespace of `side`.
    public func namespace(_ side: LabSide) -> String {
        side == .client ? clientNamespace : serverNamespace
    }

    /// Starts `executable arguments...` inside `namespace` (via `ip netns exec`), capturing its
    /// output. The lab kills it on `close()` if it is still running.
    public func spawn(in namespace: String, executable: String, arguments: [String]) throws -> LabProcess {
        let ip = try ShellCommand.executable("ip")
        // Started under the lock so close() cannot miss a process that is just starting.
        return try lock.withLock { _ in
            guard !closed else { throw LabError(.command, "cannot start \(executable): the lab is closed") }
            let process = try LabProcess(executable: ip, arguments: ["netns", "exec", namespace, executable] + arguments)
            processes.append(process)
            return process
        }
    }

    /// Runs a short command in `namespace` (via `ip netns exec`) and returns its stdout; throws
    /// a one-line error when it fails.
    @discardableResult
    public func run(in namespace: String, _ tool: String, _ arguments: [String]) throws -> String {
        // By absolute path: `ip netns exec` would otherwise search a PATH for it.
        try ShellCommand.check("ip", ["netns", "exec", namespace, try ShellCommand.executable(tool)] + arguments)
    }

    /// Kills every process the lab started (and any other process left in its namespaces, and
    /// none outside them) and deletes both namespaces. Safe to call more than once.
    public func close() {
        let (wasClosed, started) = lock.withLock { _ in
            let before = (closed, processes)
            closed = true
            processes.removeAll()
            return before
        }
        if wasClosed { return }

        // Polite first, so servers can print their summaries; then certain.
        for process in started { process.send(signal: SIGTERM) }
        for process in started where process.waitForExit(timeout: 1) == nil {
            process.send(signal: SIGKILL)
            process.waitForExit(timeout: 1)
        }
        for namespace in [clientNamespace, serverNamespace] {
            // Ours (we made it and are alive); by the identity recorded when it was made, so a
            // namespace someone gave the same name since is not touched.
            let recorded = marker.namespaces.first { $0.name == namespace }?.identity
            guard let now = NetworkNamespaceHandle.identity(named: namespace), recorded == nil || recorded == now else { continue }
            Lab.destroy(LabMarker.Namespace(name: namespace, identity: now))
        }
        marker.remove()
    }

}

/// Which end of the lab.
public enum LabSide: Sendable {
    case client, server
}
