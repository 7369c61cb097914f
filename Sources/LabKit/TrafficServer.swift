import MPTCPKit
import Output
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// What a traffic server saw over its whole run.
public struct TrafficServerSummary: Sendable, Equatable {
    /// Connections accepted.
    public var connections = 0
    /// Bytes received on all connections, headers included.
    public var bytesReceived: UInt64 = 0
    /// Whether every byte of every connection matched the pattern.
    public var intact = true
    /// The first connection found not intact, and why (its verifier's diagnosis).
    public var problem: String?
    /// That connection's first wrong byte, when that is its problem.
    public var mismatch: PatternMismatch?

    /// Counts in a connection that ended.
    mutating func add(_ connection: ServerConnection) {
        bytesReceived += connection.verifier.bytesReceived
        intact = intact && connection.verifier.intact
        if problem == nil, let found = connection.problem {
            problem = found
            mismatch = connection.verifier.mismatch
        }
    }
}

/// The receiving end of `mptop traffic`: accepts any number of MPTCP connections and checks
/// every byte of each against `TrafficPattern`.
///
/// One thread runs a poll loop over all sockets, so thousands of idle connections cost a
/// descriptor each and no thread stacks.
public final class TrafficServer {
    /// The address actually bound (the kernel's choice when port 0 was asked for).
    public let address: TrafficEndpoint
    private let listenFD: Int32

    /// Reads per connection per wakeup before moving on, so one fast sender cannot starve the rest.
    private static let readsPerWakeup = 16
    private static let bufferSize = 256 * 1024

    /// Opens an MPTCP listener on `endpoint`. Throws e.g. "cannot listen on 198.18.0.1:5201:
    /// Address already in use".
    public init(listen endpoint: TrafficEndpoint) throws {
        FileDescriptorLimit.raiseToMaximum()
        let fd = try MPTCPSocket.open(family: endpoint.family)
        MPTCPSocket.setOption(fd, level: SOL_SOCKET, name: SO_REUSEADDR, value: 1)
        let bound = endpoint.withSockaddr { bind(fd, $0, $1) }
        guard bound == 0, listen(fd, 4096) == 0 else {
            let code = errno
            close(fd)
            throw LabError.system("cannot listen on \(endpoint)", errno: code)
        }
        listenFD = fd
        address = MPTCPSocket.localEndpoint(fd) ?? endpoint
    }

    deinit {
        close(listenFD)
    }

    /// Reports `.listening`, then serves until `stop` fires, reporting `.closed` as each
    /// connection ends (and `.progress` every `progressEvery` seconds, if given); on stop, reports
    /// the still-open ones as `.closed` and then `.summary`.
    @discardableResult
    public func run(until stop: StopSignal, progressEvery: Double? = nil, report: (TrafficEvent) throws -> Void) throws -> TrafficServerSummary {
        var nextProgress = progressEvery.map { Clock.system.monotonicSeconds() + $0 }
        try report(.listening(address: address.description))
        var summary = TrafficServerSummary()
        var connections: [ServerConnection] = []
        var acceptPausedUntil = 0.0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: TrafficServer.bufferSize, alignment: 16)
        defer {
            buffer.deallocate()
            for connection in connections { close(connection.fd) }
        }

        func finish(_ connection: inout ServerConnection, endOfStream: Bool, error: String?) throws {
            if endOfStream { connection.verifier.finish() }
            summary.add(connection)
            try report(.closed(peer: connection.peer, bytesReceived: connection.verifier.bytesReceived,
                           intact: connection.verifier.intact, problem: connection.verifier.diagnosis, error: error))
        }

        while true {
            let accepting = Clock.system.monotonicSeconds() >= acceptPausedUntil
            var fds = [pollfd(fd: stop.readEnd, events: Int16(POLLIN), revents: 0),
                       // A negative descriptor is skipped by poll: how accepting pauses.
                       pollfd(fd: accepting ? listenFD : -1, events: Int16(POLLIN), revents: 0)]
            fds += connections.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
            // At least once a second: a reader of the reports that went away ends the server
            // even when no connection comes to report on.
            try Console.checkReader()
            var timeout: Int32 = accepting ? 1000 : 100
            if let due = nextProgress {
                let untilDue = Int32(max(0, (due - Clock.system.monotonicSeconds()) * 1000))
                timeout = min(timeout, untilDue)
            }
            do { _ = try Poll.wait(&fds, milliseconds: timeout) } catch {
                throw LabError.system("poll failed", error)
            }
            if fds[0].revents != 0 { break }

            // Highest index first, so removing a connection leaves the others' indexes valid.
            for index in connections.indices.reversed() where fds[index + 2].revents != 0 {
                let wasIntact = connections[index].verifier.intact
                let result = drain(&connections[index], buffer: buffer)
                if wasIntact && !connections[index].verifier.intact {
                    connections[index].countersAtProblem = Self.dataPathCounters()
                }
                switch result {
                case .open:
                    continue
                case .endOfStream:
                    try finish(&connections[index], endOfStream: true, error: nil)
                case .failed(let message):
                    try finish(&connections[index], endOfStream: false, error: message)
                }
                close(connections[index].fd)
                connections.remove(at: index)
            }

            if fds[1].revents != 0 {
                let result = acceptAll()
                connections += result.accepted
                summary.connections += result.accepted.count
                // Out of descriptors: the listener stays readable, so stop polling it for a
                // moment instead of spinning.
                if result.outOfDescriptors { acceptPausedUntil = Clock.system.monotonicSeconds() + 0.1 }
            }

            if let due = nextProgress, let every = progressEvery, Clock.system.monotonicSeconds() >= due {
                // Live totals: what closed connections delivered plus what open ones have so far.
                let open = connections.reduce(UInt64(0)) { $0 + $1.verifier.bytesReceived }
                // The first problem: of a closed connection, else of the first open one that has one.
                let openBad = summary.problem == nil ? connections.first { !$0.verifier.intact } : nil
                try report(.progress(open: connections.count, bytesReceived: summary.bytesReceived + open,
                                 intact: summary.intact && openBad == nil,
                                 problem: summary.problem ?? openBad?.problem,
                                 badOffset: (openBad?.verifier.mismatch ?? summary.mismatch)?.streamOffset))
                nextProgress = due + every
            }
        }

        for index in connections.indices {
            try finish(&connections[index], endOfStream: false, error: nil)
        }
        try report(.summary(connections: summary.connections, bytesReceived: summary.bytesReceived, intact: summary.intact,
                            problem: summary.problem))
        return summary
    }

    /// The receiving namespace's MPTCP counters of the data path, read when a stream first goes
    /// wrong: whether the kernel saw mapping trouble, duplicates or reinjections by then is
    /// half of a kernel bug report. Nil when they cannot be read.
    static func dataPathCounters() -> String? {
        guard let counters = try? MPTCPCounters.read() else { return nil }
        let names = ["MPTCPRetrans", "DuplicateData", "OFOQueue", "OFOMerge", "NoDSSInWindow", "DSSNotMatching",
                     "DSSNoMatchTCP", "DSSCorruptionFallback", "DSSCorruptionReset", "DataCsumErr", "InfiniteMapRx",
                     "MPFailRx", "DssFallback"]
        let known = names.compactMap { name in counters[name].map { "\(name) \($0)" } }
        return known.isEmpty ? nil : known.joined(separator: ", ")
    }

    /// Accepts every connection waiting in the backlog.
    private func acceptAll() -> (accepted: [ServerConnection], outOfDescriptors: Bool) {
        var accepted: [ServerConnection] = []
        while true {
            let next: (fd: Int32, peer: sockaddr_storage)?
            do { next = try MPTCPSocket.accept(listenFD) } catch {
                switch error {
                case .connectionAbort: continue
                case .tooManyOpenFiles, .tooManyOpenFilesInSystem, .noBufferSpace, .noMemory: return (accepted, true)
                default: return (accepted, false)
                }
            }
            guard let next else { return (accepted, false) } // backlog empty
            accepted.append(ServerConnection(fd: next.fd, peer: TrafficEndpoint(next.peer)?.description ?? "?"))
        }
    }

    private enum DrainResult {
        case open, endOfStream, failed(String)
    }

    /// Reads what is available on `connection` and checks it.
    private func drain(_ connection: inout ServerConnection, buffer: UnsafeMutableRawBufferPointer) -> DrainResult {
        for _ in 0..<TrafficServer.readsPerWakeup {
            let received: Int?
            do { received = try MPTCPSocket.receive(connection.fd, into: buffer) } catch { return .failed(error.text) }
            guard let n = received else { return .open }
            if n == 0 { return .endOfStream }
            connection.verifier.consume(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
        return .open
    }
}

/// One accepted connection and what has been checked of its stream.
struct ServerConnection {
    let fd: Int32
    let peer: String
    var verifier = PatternVerifier()
    /// `TrafficServer.dataPathCounters()` when the stream first went wrong.
    var countersAtProblem: String?

    /// Why this connection is not intact, naming it: "from 198.18.1.1:40000: wrong byte at ...;
    /// receiver's MPTCP counters then: ...".
    var problem: String? {
        verifier.diagnosis.map { "from \(peer): \($0)" + (countersAtProblem.map { "; receiver's MPTCP counters then: \($0)" } ?? "") }
    }
}
