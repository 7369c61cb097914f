import MPTCPKit
import Output
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// What a traffic sender does.
public struct TrafficClientOptions: Sendable {
    /// Where to connect.
    public var target: TrafficEndpoint
    /// How many MPTCP connections to open.
    public var connections: Int
    /// Pattern bytes to send per connection (after its 16-byte header); nil for no limit.
    public var bytesPerConnection: UInt64?
    /// How long to send (or hold) before finishing; nil for no limit.
    public var seconds: Double?
    /// Total sending rate over all connections in bits per second; nil for as fast as possible.
    public var rateBitsPerSecond: Double?
    /// Open the connections, send only each one's header, and keep them idle until stopped or
    /// `seconds` pass.
    public var hold: Bool
    /// How long one connect may take before it counts as failed.
    public var connectTimeout: Double
    /// After the last byte, how long to wait for the receiver to confirm it read everything
    /// (by closing its side).
    public var drainTimeout: Double

    public init(target: TrafficEndpoint, connections: Int = 1, bytesPerConnection: UInt64? = nil,
                seconds: Double? = nil, rateBitsPerSecond: Double? = nil, hold: Bool = false,
                connectTimeout: Double = 10, drainTimeout: Double = 10) {
        self.target = target
        self.connections = connections
        self.bytesPerConnection = bytesPerConnection
        self.seconds = seconds
        self.rateBitsPerSecond = rateBitsPerSecond
        self.hold = hold
        self.connectTimeout = connectTimeout
        self.drainTimeout = drainTimeout
    }
}

/// The sending end of `mptop traffic`: opens MPTCP connections and streams `TrafficPattern`
/// on each, in one poll loop.
public final class TrafficClient {
    public let options: TrafficClientOptions
    /// 64 KiB writes: few enough system calls to fill fast links from a debug build.
    static let chunkSize = 64 * 1024

    public init(options: TrafficClientOptions) {
        self.options = options
    }

    /// Connects, reports `.connected`, streams (or holds) until done or `stop` fires, then
    /// reports `.done` and returns the bytes sent. Throws a one-line error when a connection
    /// cannot be opened or breaks.
    @discardableResult
    public func run(until stop: StopSignal, report: (TrafficEvent) throws -> Void) throws -> UInt64 {
        var connections: [ClientConnection] = []
        defer { for connection in connections { close(connection.fd) } }

        // Descriptors for the sockets plus a margin for stdio, pipes and the runtime.
        try FileDescriptorLimit.ensure(options.connections + 64)
        for _ in 0..<options.connections {
            guard let fd = try connect(until: stop) else {
                try report(.done(bytesSent: 0))
                return 0
            }
            connections.append(ClientConnection(fd: fd, seed: UInt64.random(in: 0...UInt64.max),
                                                limit: options.bytesPerConnection.map { $0 + UInt64(TrafficPattern.headerSize) }))
        }
        try report(.connected(connections: connections.count))

        let start = Clock.system.monotonicSeconds()
        let deadline = options.seconds.map { start + $0 }
        var sent: UInt64 = 0
        if options.hold {
            try sendHeaders(&connections, sent: &sent)
            try wait(for: stop, deadline: deadline)
        } else {
            let finished = try stream(&connections, sent: &sent, until: stop, deadline: deadline)
            if finished { drain(&connections, until: stop) }
        }
        try report(.done(bytesSent: sent))
        return sent
    }

    /// Opens one connection; nil when `stop` fired first.
    private func connect(until stop: StopSignal) throws -> Int32? {
        let target = options.target
        let fd = try MPTCPSocket.open(family: target.family)
        let rc = target.withSockaddr { Glibc.connect(fd, $0, $1) }
        if rc != 0 && errno != EINPROGRESS {
            let code = errno
            close(fd)
            throw LabError.system("cannot connect to \(target)", errno: code)
        }
        let deadline = Clock.system.monotonicSeconds() + options.connectTimeout
        while rc != 0 {
            let remaining = deadline - Clock.system.monotonicSeconds()
            if remaining <= 0 {
                close(fd)
                throw LabError(.system, "cannot connect to \(target): timed out after \(formatSeconds(options.connectTimeout)) s")
            }
            var fds = [pollfd(fd: stop.readEnd, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)]
            do { _ = try Poll.wait(&fds, milliseconds: Int32(min(remaining * 1000 + 1, 1000))) } catch {
                close(fd)
                throw LabError.system("poll failed", error)
            }
            if fds[0].revents != 0 {
                close(fd)
                return nil
            }
            if fds[1].revents != 0 { break }
        }
        let code = MPTCPSocket.pendingError(fd)
        guard code == 0 else {
            close(fd)
            throw LabError.system("cannot connect to \(target)", errno: code)
        }
        return fd
    }

    /// Sends the pattern on every connection until each reached its byte limit (returns true),
    /// or the deadline passed (true), or `stop` fired (false).
    private func stream(_ connections: inout [ClientConnection], sent: inout UInt64,
                        until stop: StopSignal, deadline: Double?) throws -> Bool {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: TrafficClient.chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var pacer = options.rateBitsPerSecond.map { SendPacer(bitsPerSecond: $0, now: Clock.system.monotonicSeconds()) }
        var rotation = 0

        while true {
            // The reports' reader gone (the demo that started us was killed) ends the run: a
            // peer whose namespace vanished never resets the connection, and with a full send
            // buffer this loop would wait for it for as long as TCP retries.
            try Console.checkReader()
            let now = Clock.system.monotonicSeconds()
            if let deadline, now >= deadline { return true }
            let active = connections.indices.filter { !connections[$0].finished }
            if active.isEmpty { return true }

            var timeout: Double? = deadline.map { $0 - now }
            // Bytes this round may send over all connections: the pacer's budget, or a full
            // chunk for each connection when unpaced.
            var allowance = TrafficClient.chunkSize * active.count
            if pacer != nil {
                allowance = pacer?.allowance(now: now) ?? 0
                if allowance == 0 {
                    let wait = pacer?.secondsUntilNextSend() ?? 0.001
                    timeout = min(timeout ?? wait, wait)
                }
            }
            // Start after the connection that sent last, so under a rate limit each gets its turn.
            let first = rotation % active.count
            let order = Array(active[first...] + active[..<first])
            var fds = [pollfd(fd: stop.readEnd, events: Int16(POLLIN), revents: 0)]
            if allowance > 0 {
                fds += order.map { pollfd(fd: connections[$0].fd, events: Int16(POLLOUT), revents: 0) }
            }
            let ms = timeout.map { Int32(max(0, min($0 * 1000 + 1, 1000))) } ?? 1000
            do { _ = try Poll.wait(&fds, milliseconds: ms) } catch {
                throw LabError.system("poll failed", error)
            }
            if fds[0].revents != 0 { return false }
            guard allowance > 0 else { continue }

            for (slot, index) in order.enumerated() where fds[slot + 1].revents != 0 {
                guard allowance > 0 else { break }
                let revents = Int32(fds[slot + 1].revents)
                if revents & Int32(POLLOUT) == 0 {
                    // POLLERR/POLLHUP without POLLOUT: the connection broke.
                    let code = MPTCPSocket.pendingError(connections[index].fd)
                    throw LabError(.system, "connection to \(options.target) lost: \(code == 0 ? "closed by peer" : Errno(rawValue: code).text)")
                }
                var count = min(allowance, TrafficClient.chunkSize)
                if let limit = connections[index].limit {
                    count = Int(min(UInt64(count), limit - connections[index].sent))
                }
                let chunk = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count])
                TrafficPattern.fill(chunk, streamOffset: connections[index].sent, seed: connections[index].seed)
                let sentNow: Int?
                do { sentNow = try MPTCPSocket.send(connections[index].fd, UnsafeRawBufferPointer(chunk), flags: Int32(MSG_DONTWAIT)) } catch {
                    throw LabError.system("connection to \(options.target) lost", error)
                }
                guard let n = sentNow else { continue }
                connections[index].sent += UInt64(n)
                sent += UInt64(n)
                rotation = first + slot + 1
                allowance -= n
                pacer?.consume(n)
                if let limit = connections[index].limit, connections[index].sent >= limit {
                    connections[index].finished = true
                    // Tell the receiver the stream is complete; it answers by closing its side.
                    shutdown(connections[index].fd, Int32(SHUT_WR))
                }
            }
        }
    }

    /// Half-closes every connection and waits (up to `drainTimeout`) until the receiver closed
    /// its side too, which the traffic server does once it has read and checked everything.
    private func drain(_ connections: inout [ClientConnection], until stop: StopSignal) {
        for index in connections.indices where !connections[index].finished {
            connections[index].finished = true
            shutdown(connections[index].fd, Int32(SHUT_WR))
        }
        let deadline = Clock.system.monotonicSeconds() + options.drainTimeout
        var open = Array(connections.indices)
        var scratch = [UInt8](repeating: 0, count: 4096)
        while !open.isEmpty {
            let remaining = deadline - Clock.system.monotonicSeconds()
            if remaining <= 0 { return }
            var fds = [pollfd(fd: stop.readEnd, events: Int16(POLLIN), revents: 0)]
            fds += open.map { pollfd(fd: connections[$0].fd, events: Int16(POLLIN), revents: 0) }
            guard (try? Poll.wait(&fds, milliseconds: Int32(min(remaining * 1000 + 1, 1000)))) != nil else { return }
            if fds[0].revents != 0 { return }
            var stillOpen: [Int] = []
            for (slot, index) in open.enumerated() {
                guard fds[slot + 1].revents != 0 else { stillOpen.append(index); continue }
                let fd = connections[index].fd
                let received = Result { () throws(Errno) in try Errno.catching { try scratch.withUnsafeMutableBytes { try MPTCPSocket.receive(fd, into: $0) } } }
                // Data (unexpected from our server) or none yet keeps it open; EOF or an error ends it.
                if case .success(let n) = received, n.map({ $0 > 0 }) ?? true { stillOpen.append(index) }
            }
            open = stillOpen
        }
    }

    /// Sends each connection's 16-byte header. Idle connections still need this much: a
    /// client's MPTCP connection is only fully established once data has been exchanged, and
    /// only then does the path manager open the extra subflows.
    private func sendHeaders(_ connections: inout [ClientConnection], sent: inout UInt64) throws {
        for index in connections.indices {
            let header = TrafficPattern.header(seed: connections[index].seed)
            // An empty send buffer always takes 16 bytes, so a non-blocking send cannot be short.
            let sentNow: Int?
            let fd = connections[index].fd
            do { sentNow = try Errno.catching { try header.withUnsafeBytes { try MPTCPSocket.send(fd, $0) } } } catch {
                throw LabError.system("connection to \(options.target) lost", error)
            }
            guard let n = sentNow, n == header.count else {
                throw LabError.system("connection to \(options.target) lost", errno: EAGAIN)
            }
            connections[index].sent = UInt64(n)
            sent += UInt64(n)
        }
    }

    /// Sleeps until `stop` fires or `deadline` passes; throws when stdout's reader goes.
    private func wait(for stop: StopSignal, deadline: Double?) throws {
        while true {
            try Console.checkReader()
            let remaining = deadline.map { $0 - Clock.system.monotonicSeconds() }
            if let remaining, remaining <= 0 { return }
            var fds = [pollfd(fd: stop.readEnd, events: Int16(POLLIN), revents: 0)]
            let ms = remaining.map { Int32(min($0 * 1000 + 1, 1000)) } ?? 1000
            if let ready = try? Poll.wait(&fds, milliseconds: ms), ready > 0 { return }
        }
    }
}

/// One sending connection.
struct ClientConnection {
    let fd: Int32
    let seed: UInt64
    /// Stream bytes (header included) to send in total; nil for no limit.
    let limit: UInt64?
    var sent: UInt64 = 0
    var finished = false
}

/// `1.5` -> "1.5", `10.0` -> "10".
func formatSeconds(_ seconds: Double) -> String {
    seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
}
