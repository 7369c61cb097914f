#if canImport(Glibc)
import Glibc
#endif

/// Takes samples of every MPTCP connection in one network namespace.
///
/// One sample = MPTCP dump + TCP dump (IPv4 and IPv6 each), decode, join, interface and process
/// lookup, shares and rates. The sockets are opened once, in the namespace the calling thread is
/// in (enter the namespace first, see `NetworkNamespace.enter`).
public final class Sampler {
    public struct Options: Sendable {
        /// Look up owning processes (/proc scan). Costs a readlink per descriptor on first sight.
        public var processes = true
        public var namespace: String?
        public init(processes: Bool = true, namespace: String? = nil) {
            self.processes = processes
            self.namespace = namespace
        }
    }

    private let diag: NetlinkSocket
    private let interfaces: InterfaceTable
    private let processes = ProcessTable()
    private var rates = RateTracker()
    private let clock: Clock
    public let options: Options

    /// Fails with a clear error when this kernel cannot report MPTCP sockets.
    public init(options: Options = Options(), clock: Clock = .system) throws {
        _ = try MPTCPSysctl.mptcpEnabled()
        diag = try NetlinkSocket(.sockDiag)
        interfaces = try InterfaceTable()
        self.clock = clock
        self.options = options
    }

    /// The interface table as of the last sample.
    public var interfaceTable: InterfaceTable { interfaces }

    /// Takes one sample, with rates against the previous one.
    public func sample() throws -> Snapshot {
        var snapshot = try sampleWithoutRates()
        rates.annotate(&snapshot)
        return snapshot
    }

    /// Dumps, decodes and joins, without rates (what the benchmark measures).
    public func sampleWithoutRates() throws -> Snapshot {
        var snapshot = Snapshot(time: clock.wallSeconds(), monotonic: clock.monotonicNanos(), namespace: options.namespace)
        var sockets: [Connection] = []
        var interrupted = false
        for family in [IPAddress.Family.ipv4, .ipv6] {
            do {
                interrupted = try diag.dump(SockDiagRequest.mptcp(family: family)) { m in
                    if m.type == SockDiagRequest.messageType, let c = SockDiagDecoder.mptcpSocket(m.payload) { sockets.append(c) }
                } || interrupted
            } catch MPTopError.netlink(_, let e) where e == ENOENT || e == EINVAL || e == EOPNOTSUPP {
                // No sock_diag handler for IPPROTO_MPTCP: mptcp_diag is not built or loaded.
                throw MPTopError.mptcpDiagMissing
            }
        }
        var joiner = SubflowJoiner(sockets: sockets)
        for family in [IPAddress.Family.ipv4, .ipv6] {
            interrupted = try diag.dump(SockDiagRequest.tcp(family: family)) { m in
                if m.type == SockDiagRequest.messageType,
                   // A closure, not `joiner.isConnectionInode`: a method reference would copy the joiner per message.
                   let s = SockDiagDecoder.subflow(m.payload, isMPTCPInode: { joiner.isConnectionInode($0) }) { joiner.add(s) }
            } || interrupted
        }
        let joined = joiner.finish()
        snapshot.connections = joined.connections
        snapshot.listeners = joined.listeners
        snapshot.unmatchedSubflows = joined.unmatchedSubflows
        snapshot.interrupted = interrupted

        try interfaces.refresh()
        for ci in snapshot.connections.indices {
            for si in snapshot.connections[ci].subflows.indices {
                snapshot.connections[ci].subflows[si].interfaceIndex = interfaces.resolve(
                    local: snapshot.connections[ci].subflows[si].local.address,
                    remote: snapshot.connections[ci].subflows[si].remote.address,
                    bound: snapshot.connections[ci].subflows[si].boundInterfaceIndex)
            }
        }
        snapshot.interfaces = Shares.apply(to: &snapshot.connections, names: interfaces.name(of:))

        if options.processes {
            let owners = processes.owners(of: snapshot.connections.map(\.inode) + snapshot.listeners.map(\.inode),
                                          now: snapshot.monotonic)
            for i in snapshot.connections.indices { snapshot.connections[i].process = owners[snapshot.connections[i].inode] }
            for i in snapshot.listeners.indices { snapshot.listeners[i].process = owners[snapshot.listeners[i].inode] }
        }
        return snapshot
    }
}
