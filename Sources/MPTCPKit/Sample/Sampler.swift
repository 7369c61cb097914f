#if canImport(Glibc)
import Glibc
#endif

/// Takes samples of every MPTCP connection in one network namespace.
///
/// One sample = MPTCP dump + TCP dump (IPv4, and IPv6 when there can be IPv6 sockets; on a host
/// busy with plain TCP, the subflows one by one instead), decode, join, interface and process
/// lookup, shares and rates. The sockets are opened once, in the namespace the calling thread is
/// in (enter the namespace first, see `NetworkNamespace.enter`).
public final class Sampler {
    public struct Options: Sendable {
        /// Look up owning processes (`ProcessTable`: a BPF iterator pass, or a /proc scan). Costs
        /// a pass over the host's descriptors when sockets appear that it has not seen.
        public var processes = true
        public var namespace: String?
        /// How subflows are fetched (see `fetchSubflowsOneByOne`); the benchmark compares the two ways.
        public var subflowFetch = SubflowFetch.automatic
        /// Receive the dumps and look up owners on threads of their own while the sample
        /// is decoded (see `sampleWithoutRates`); false takes turns on the calling thread, what
        /// the benchmark compares with.
        public var concurrent = true
        public init(processes: Bool = true, namespace: String? = nil) {
            self.processes = processes
            self.namespace = namespace
        }
    }

    public enum SubflowFetch: Sendable {
        /// One by one when the last sample saw `busyHostRatio` times more TCP sockets than subflows.
        case automatic
        /// Always in one dump of every TCP socket with tcp_info.
        case dump
        /// Always a pass without attributes, then the subflows one by one.
        case oneByOne
    }

    private let diag: NetlinkSocket
    /// TCP sockets and subflows the last sample saw: which way the next one fetches subflows.
    private var lastTCPSockets = 0, lastSubflows = 0
    /// MPTCP sockets the last sample saw: room reserved for the next one's (without one, the
    /// kernel's count: growing the array by doubling touched twice its memory, 740 more page
    /// faults at 10,000 connections, `perf record -e page-faults`).
    private var lastConnections = 0
    /// The kernel's MPTCP socket counts: an MPTCP dump for a family with none is left out.
    private let socketCounts = ProtocolSocketCounts()
    /// The families whose MPTCP dump the last sample made.
    public private(set) var mptcpDumpFamilies: [IPAddress.Family] = []
    /// Receive the usual sample's MPTCP dump (on `diag`) and its TCP dump (on a socket of its
    /// own), each on a thread of its own. The TCP dump starts with the MPTCP dump and is
    /// received up to a ring of 128 datagrams ahead while the connections are decoded: with 16,
    /// the ring was full long before the MPTCP dump was decoded, and the TCP dump's thread
    /// waited while a core was free (`mptop --once --json` at 10,000 connections 8% faster with
    /// 128; its peak RSS 33 → 37 MiB, as a slot holds a datagram of at most 32 KiB).
    private let connectionPipeline: NetlinkDumpPipeline
    private let subflowPipeline: NetlinkDumpPipeline
    /// After a one-by-one fetch that found every connection's `mptcpi_subflows_total`: the
    /// requests for those subflows and the totals, so the next sample can skip the first pass.
    private var known: (requests: [NetlinkRequestBuilder], totals: [UInt64: UInt8])?
    /// Samples since the last first pass (one at least every `firstPassEvery`, so the count of
    /// TCP sockets that chooses the way stays current).
    private var withoutFirstPass = 0
    static let firstPassEvery = 30
    /// The families whose TCP dump the last sample made (the IPv6 one only when there can be
    /// IPv6 subflows, see `dumpConnectionsAndSubflows`); on a busy host those of the first
    /// pass, none when the known subflows were asked for directly.
    public private(set) var tcpDumpFamilies: [IPAddress.Family] = []
    /// Whether the last sample's subflows added up to every connection's `mptcpi_subflows_total`.
    /// When not (connections joining or closing, or a kernel without the count), the next sample
    /// makes the IPv6 TCP dump beside the IPv4 one, as it always did, rather than after it.
    private var lastComplete = true
    /// Whether the last sample asked for known subflows without the first pass.
    var skippedFirstPass: Bool { withoutFirstPass > 0 }
    private let interfaces: InterfaceTable
    /// Made on the thread that entered the namespace: its processes are scanned first.
    private let processes = ProcessTable(namespace: try? NamespaceIdentity.current())
    private var rates = RateTracker()
    private let clock: Clock
    public let options: Options

    /// Fails with a clear error when this kernel cannot report MPTCP sockets.
    public init(options: Options = Options(), clock: Clock = .system) throws {
        _ = try MPTCPSysctl.mptcpEnabled()
        diag = try NetlinkSocket(.sockDiag)
        connectionPipeline = NetlinkDumpPipeline(socket: diag)
        subflowPipeline = NetlinkDumpPipeline(socket: try NetlinkSocket(.sockDiag), slots: 128)
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
    ///
    /// Three things overlap while the sample is decoded (README, "Performance"): the kernel
    /// writes the MPTCP dump and the TCP dump at once, each for a receiving thread
    /// (`NetlinkDumpPipeline`), and the lookup of owning processes runs on a thread of its
    /// own from the moment the MPTCP dump has named the sockets.
    public func sampleWithoutRates() throws -> Snapshot {
        var snapshot = Snapshot(time: clock.wallSeconds(), monotonic: clock.monotonicNanos(), namespace: options.namespace)
        var owners: BackgroundThread<[UInt32: ProcessRef]>?
        let lookUpOwners = { [processes, options] (inodes: [UInt32]) in
            guard options.processes else { return }
            let now = snapshot.monotonic
            owners = BackgroundThread(concurrently: options.concurrent) { processes.owners(of: inodes, now: now) }
        }
        var interrupted = false
        let joined: SubflowJoiner.Result
        do {
            if fetchesSubflowsOneByOne {
                let sockets = try dumpConnections(interrupted: &interrupted)
                lookUpOwners(sockets.map(\.inode))
                joined = try joinSubflows(to: sockets, interrupted: &interrupted)
            } else {
                joined = try dumpConnectionsAndSubflows(interrupted: &interrupted, connectionsKnown: lookUpOwners)
            }
        } catch {
            _ = owners?.wait()
            throw error
        }
        snapshot.connections = joined.connections
        snapshot.listeners = joined.listeners
        snapshot.unmatchedSubflows = joined.unmatchedSubflows
        snapshot.interrupted = interrupted

        try interfaces.refresh()
        for ci in snapshot.connections.indices {
            // Through the buffer: one uniqueness check per connection, not four per subflow.
            snapshot.connections[ci].subflows.withUnsafeMutableBufferPointer { subflows in
                for si in subflows.indices {
                    subflows[si].interfaceIndex = interfaces.resolve(local: subflows[si].local.address, remote: subflows[si].remote.address,
                                                                     bound: subflows[si].boundInterfaceIndex)
                }
            }
        }
        snapshot.interfaces = Shares.apply(to: &snapshot.connections, names: interfaces.name(of:))

        if let owners = owners?.wait() {
            for i in snapshot.connections.indices { snapshot.connections[i].process = owners[snapshot.connections[i].inode] }
            for i in snapshot.listeners.indices { snapshot.listeners[i].process = owners[snapshot.listeners[i].inode] }
        }
        return snapshot
    }

    /// The families to make an MPTCP dump for: IPv4 always (a kernel without mptcp_diag is told
    /// by its failure), IPv6 unless the kernel counts no IPv6 MPTCP socket
    /// (`ProtocolSocketCounts`; without a count, both).
    private func mptcpFamilies(_ counts: ProtocolSocketCounts.Counts?) -> [IPAddress.Family] {
        mptcpDumpFamilies = counts?.ipv6 == 0 ? [.ipv4] : [.ipv4, .ipv6]
        return mptcpDumpFamilies
    }

    /// The MPTCP dumps alone (connections and listeners, no subflows yet).
    private func dumpConnections(interrupted: inout Bool) throws -> [Connection] {
        var sockets: [Connection] = []
        for family in mptcpFamilies(socketCounts.read()) {
            do {
                interrupted = try diag.dump(SockDiagRequest.mptcp(family: family)) { m in
                    if m.type == SockDiagRequest.messageType, let c = SockDiagDecoder.mptcpSocket(m.payload) { sockets.append(c) }
                } || interrupted
            } catch MPTopError.netlink(_, let e) where Self.meansNoMPTCPDiag(e) {
                throw MPTopError.mptcpDiagMissing
            }
        }
        return sockets
    }

    /// No sock_diag handler for IPPROTO_MPTCP: mptcp_diag is not built or loaded.
    private static func meansNoMPTCPDiag(_ e: Int32) -> Bool { e == ENOENT || e == EINVAL || e == EOPNOTSUPP }

    /// The usual way: the MPTCP dumps and a dump of every TCP socket with tcp_info, each
    /// received on a pipeline's thread and socket, so the kernel writes both at once while this
    /// thread decodes the connections, then the subflows, joining each to its connection.
    /// `connectionsKnown` gets the inodes of the MPTCP dump's sockets (when owners are looked
    /// up) as soon as they are all decoded, while the TCP dump is still coming.
    ///
    /// The IPv6 TCP dump is made only when there can be IPv6 subflows: an IPv4 MPTCP socket has
    /// only IPv4 subflows (an IPv6 one may have both), so with no IPv6 connection it is left out,
    /// unless the IPv4 subflows found do not add up to every connection's
    /// `mptcpi_subflows_total` (then it follows, and the next sample makes it beside the IPv4
    /// one: kernels before 6.10 have no count, so they get both dumps as before). The kernel walks
    /// its whole established hash, every namespace's sockets, for each family's dump: a dump that
    /// finds nothing cost 9 ms of 82 at 10,000 connections beside other namespaces' 30,000
    /// sockets (README, "Performance").
    private func dumpConnectionsAndSubflows(interrupted: inout Bool, connectionsKnown: ([UInt32]) -> Void) throws -> SubflowJoiner.Result {
        let concurrently = options.concurrent
        if concurrently { subflowPipeline.start([SockDiagRequest.tcp(family: .ipv4)]) }
        defer { subflowPipeline.stop() }
        defer { connectionPipeline.stop() }
        // The sockets go straight into the joiner, with room for as many as the last sample saw.
        // One value that the closures below change, each closure written out where it is passed
        // (not kept in a `let`): what a kept closure captures lives in a box, and every access to
        // it was an exclusivity check at run time (`swift_beginAccess`, twice a TCP socket).
        let counts = socketCounts.read()
        var decoded = DumpDecoding(joiner: SubflowJoiner(expectedSockets: lastConnections > 0 ? lastConnections : counts?.total ?? 0,
                                                         expectedSubflows: lastSubflows))
        let mptcpFlags: [Bool]
        do {
            let families = mptcpFamilies(counts)
            mptcpFlags = try connectionPipeline.run(families.map { SockDiagRequest.mptcp(family: $0) },
                                                    concurrently: concurrently) { dump, m in decoded.connection(m, ipv6: families[dump] == .ipv6) }
        } catch let failure as NetlinkDumpPipeline.Failure {
            if case MPTopError.netlink(_, let e) = failure.error, Self.meansNoMPTCPDiag(e) { throw MPTopError.mptcpDiagMissing }
            throw failure.error
        }
        if options.processes { connectionsKnown(decoded.joiner.socketInodes) }
        // The MPTCP socket's pipeline is free again: it receives the IPv6 TCP dump meanwhile.
        let ipv6 = decoded.ipv6Connections > 0 || !lastComplete
        if concurrently && ipv6 { connectionPipeline.start([SockDiagRequest.tcp(family: .ipv6)]) }
        var tcpFlags: [Bool] = []
        do {
            tcpFlags = concurrently
                ? try subflowPipeline.decode { _, m in decoded.subflow(m) }
                : try connectionPipeline.run([SockDiagRequest.tcp(family: .ipv4)], concurrently: false) { _, m in decoded.subflow(m) }
            if ipv6 {
                tcpFlags += concurrently
                    ? try connectionPipeline.decode { _, m in decoded.subflow(m) }
                    : try connectionPipeline.run([SockDiagRequest.tcp(family: .ipv6)], concurrently: false) { _, m in decoded.subflow(m) }
            }
        } catch let failure as NetlinkDumpPipeline.Failure {
            throw failure.error
        }
        var joined = decoded.joiner.finish()
        var tcpSockets = decoded.tcpSockets, subflows = decoded.subflows
        lastComplete = Self.complete(joined)
        if !ipv6 && !lastComplete {
            // Some subflow is elsewhere (or the kernel does not say how many there are): the
            // IPv6 dump after all, its subflows joined after the IPv4 ones, as one pass would.
            var more = DumpDecoding(joiner: SubflowJoiner(sockets: joined.connections))
            do {
                tcpFlags += try connectionPipeline.run([SockDiagRequest.tcp(family: .ipv6)], concurrently: false) { _, m in more.subflow(m) }
            } catch let failure as NetlinkDumpPipeline.Failure {
                throw failure.error
            }
            let again = more.joiner.finish()
            joined = SubflowJoiner.Result(connections: again.connections, listeners: joined.listeners,
                                          unmatchedSubflows: joined.unmatchedSubflows + again.unmatchedSubflows)
            tcpSockets += more.tcpSockets
            subflows += more.subflows
            lastComplete = Self.complete(joined)
            tcpDumpFamilies = [.ipv4, .ipv6]
        } else {
            tcpDumpFamilies = ipv6 ? [.ipv4, .ipv6] : [.ipv4]
        }
        interrupted = mptcpFlags.contains(true) || tcpFlags.contains(true) || interrupted
        lastTCPSockets = tcpSockets
        lastSubflows = subflows
        lastConnections = decoded.sockets
        withoutFirstPass = 0
        known = nil
        return joined
    }

    /// The usual sample's dumps decoded into the joiner, message by message, and counted.
    private struct DumpDecoding {
        var joiner: SubflowJoiner
        /// Sockets in the MPTCP dump, TCP sockets in the TCP dump, subflows among them.
        var sockets = 0, tcpSockets = 0, subflows = 0
        /// Connections (not listeners) in the IPv6 MPTCP dump: whether IPv6 subflows can exist.
        var ipv6Connections = 0

        mutating func connection(_ m: NetlinkMessage, ipv6: Bool) {
            let before = joiner.connectionCount
            guard m.type == SockDiagRequest.messageType, joiner.addSocket(decoding: m.payload) else { return }
            sockets += 1
            if ipv6 && joiner.connectionCount > before { ipv6Connections += 1 }
        }

        mutating func subflow(_ m: NetlinkMessage) {
            guard m.type == SockDiagRequest.messageType else { return }
            tcpSockets += 1
            if joiner.addSubflow(decoding: m.payload) { subflows += 1 }
        }
    }

    // MARK: fetching subflows

    /// When the host's other TCP sockets outnumber the subflows by this much, the subflows are
    /// fetched one by one, found by a pass without attributes over every TCP socket, or known
    /// from the last sample when nothing changed (see `fetchSubflowsOneByOne`, `joinSubflows`). The
    /// break-even measured is near 18 (README, "A busy host").
    public static let busyHostRatio = 20
    /// Single-socket requests per datagram: their answers (about 2 KiB each in the receive
    /// queue) must fit the socket's receive buffer together.
    static let requestsPerBatch = 128

    /// Whether the next sample fetches subflows one by one (a host busy with plain TCP).
    public var fetchesSubflowsOneByOne: Bool {
        switch options.subflowFetch {
        case .automatic: return lastTCPSockets > Self.busyHostRatio * max(lastSubflows, 1) + 1000
        case .dump: return false
        case .oneByOne: return true
        }
    }

    /// TCP sockets the last sample went through (all of them, subflows or not).
    public var tcpSocketsSeen: Int { lastTCPSockets }

    /// The TCP side of a sample on a busy host (1,000 MPTCP connections among 100,000 plain TCP
    /// sockets), where one dump of every TCP socket with tcp_info would spend nearly all its
    /// time on sockets that are not subflows (README, "A busy host"): a dump without
    /// attributes (72 bytes a socket) keeps the sockets whose inode is an MPTCP connection's
    /// (every subflow shares it; inode 0 too, a passive subflow not yet accepted), then those
    /// alone are asked for by identity, a batch of requests per datagram. A socket that closed
    /// in between is simply missing, as it would be from a later dump. The IPv6 pass is made
    /// only when there can be IPv6 subflows (`families`, as for the usual sample's TCP dumps):
    /// each family's pass walks the kernel's whole established hash, 100,000 sockets for nothing.
    private func fetchSubflowsOneByOne(into joiner: inout SubflowJoiner, families: [IPAddress.Family]) throws -> (interrupted: Bool, found: [NetlinkRequestBuilder]) {
        var interrupted = false
        var tcpSockets = 0
        var requests: [NetlinkRequestBuilder] = []
        tcpDumpFamilies = families
        for family in families {
            interrupted = try diag.dump(SockDiagRequest.tcpIdentities(family: family)) { m in
                guard m.type == SockDiagRequest.messageType, let inode = m.payload.u32(68) else { return }
                tcpSockets += 1
                guard inode == 0 || joiner.isConnectionInode(inode), let r = SockDiagRequest.tcpSocket(reportedAs: m.payload) else { return }
                requests.append(r)
            } || interrupted
        }
        let found = try request(requests, into: &joiner)
        lastTCPSockets = tcpSockets
        lastSubflows = found.count
        return (interrupted, found)
    }

    /// Asks for `requests`' sockets, a batch per datagram, and joins the subflows among them;
    /// returns the requests for those (built from the answers: they carry the same identity).
    private func request(_ requests: [NetlinkRequestBuilder], into joiner: inout SubflowJoiner) throws -> [NetlinkRequestBuilder] {
        var found: [NetlinkRequestBuilder] = []
        for start in stride(from: 0, to: requests.count, by: Self.requestsPerBatch) {
            try diag.exchange(Array(requests[start..<min(start + Self.requestsPerBatch, requests.count)]), tolerated: [ENOENT, ESTALE]) { m in
                if m.type == SockDiagRequest.messageType,
                   let s = SockDiagDecoder.subflow(m.payload, isMPTCPInode: { joiner.isConnectionInode($0) }),
                   let again = SockDiagRequest.tcpSocket(reportedAs: m.payload) {
                    joiner.add(s)
                    found.append(again)
                }
            }
        }
        return found
    }

    /// Subflows joined to `sockets` (the MPTCP dump) on a busy host. When its connections are the
    /// same as at the last sample, with the same `mptcpi_subflows_total` each, and whose last
    /// sample found all of those subflows, the subflows known then are asked for directly,
    /// without the first pass over every TCP socket. If they no longer add up (one closed and
    /// another opened), the sample is taken the long way after all.
    private func joinSubflows(to sockets: [Connection], interrupted: inout Bool) throws -> SubflowJoiner.Result {
        let totals = Self.subflowTotals(sockets)
        if fetchesSubflowsOneByOne, let known, withoutFirstPass < Self.firstPassEvery, totals != nil, known.totals == totals {
            var joiner = SubflowJoiner(sockets: sockets)
            let found = try request(known.requests, into: &joiner)
            let joined = joiner.finish()
            if Self.complete(joined) {
                self.known = (found, known.totals)
                lastSubflows = found.count
                withoutFirstPass += 1
                tcpDumpFamilies = []
                return joined
            }
        }
        var joiner = SubflowJoiner(sockets: sockets)
        // An IPv4 MPTCP socket has only IPv4 subflows; when the last sample did not find them
        // all (or the kernel gives no count), the IPv6 pass is made anyway, as for the TCP dumps.
        let ipv6 = !lastComplete || sockets.contains { $0.state != .listen && $0.local.address.family == .ipv6 }
        let fetched = try fetchSubflowsOneByOne(into: &joiner, families: ipv6 ? [.ipv4, .ipv6] : [.ipv4])
        interrupted = fetched.interrupted || interrupted
        let joined = joiner.finish()
        lastComplete = Self.complete(joined)
        withoutFirstPass = 0
        known = nil
        if let totals, !fetched.found.isEmpty, !fetched.interrupted, lastComplete { known = (fetched.found, totals) }
        return joined
    }

    /// Each connection's `mptcpi_subflows_total`, by cookie; nil when a connection lacks it
    /// (kernels before 6.10), and then every sample makes the first pass.
    static func subflowTotals(_ sockets: [Connection]) -> [UInt64: UInt8]? {
        var totals: [UInt64: UInt8] = [:]
        totals.reserveCapacity(sockets.count)
        for c in sockets where c.state != .listen {
            guard let t = c.info?.subflowsTotal else { return nil }
            totals[c.cookie] = t
        }
        return totals
    }

    /// Whether every connection has as many subflows as its `mptcpi_subflows_total` says.
    static func complete(_ joined: SubflowJoiner.Result) -> Bool {
        joined.unmatchedSubflows == 0 && joined.connections.allSatisfy { c in c.info?.subflowsTotal.map { Int($0) == c.subflows.count } ?? false }
    }
}
