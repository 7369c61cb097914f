import MPTCPKit
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// What a churn run should do: open `rate` MPTCP connections per second towards `target` for
/// `seconds`, each sending its pattern header and `payloadBytes` of pattern, then closing after
/// a lifetime drawn from `lifetime` (seconds).
public struct TrafficChurnOptions: Sendable {
    public var target: TrafficEndpoint
    public var rate: Double
    public var seconds: Double
    public var lifetime: ClosedRange<Double>
    public var payloadBytes: Int

    public init(target: TrafficEndpoint, rate: Double, seconds: Double, lifetime: ClosedRange<Double> = 0.05...0.5,
                payloadBytes: Int = 8192) {
        self.target = target
        self.rate = rate
        self.seconds = seconds
        self.lifetime = lifetime
        self.payloadBytes = payloadBytes
    }
}

/// What a churn run did.
public struct TrafficChurnReport: Sendable {
    /// Connections opened (connect started) and closed by us.
    public var opened = 0
    public var closed = 0
    /// Connects that failed (at once or by the time the connection was due to close).
    public var failed = 0
    /// Connections whose bytes had not all gone out when their lifetime ended.
    public var incomplete = 0
    /// Most connections open at once.
    public var peakOpen = 0
    public var firstError: String?
    public var elapsed = 0.0

    public var openedPerSecond: Double { elapsed > 0 ? Double(opened) / elapsed : 0 }
}

/// Connection churn for the benchmark: short-lived MPTCP connections opened at a steady rate
/// and closed again, in the calling thread's network namespace, from one non-blocking loop.
/// Each carries the generator's pattern, so `mptop traffic serve` checks its bytes as usual.
public final class TrafficChurn {
    public let options: TrafficChurnOptions

    private struct Churned {
        let fd: Int32
        let seed: UInt64
        let closeAt: Double
        var sent = 0
    }

    public init(options: TrafficChurnOptions) {
        self.options = options
    }

    /// Runs for `options.seconds`, calling `tick` about every `tickEvery` seconds (the
    /// benchmark samples memory there), then closes what is still open.
    public func run(tickEvery: Double = 1, tick: () -> Void = {}) throws -> TrafficChurnReport {
        try FileDescriptorLimit.ensure(Int(options.rate * options.lifetime.upperBound) * 2 + 256)
        var report = TrafficChurnReport()
        var open: [Churned] = []
        let total = TrafficPattern.headerSize + options.payloadBytes
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: total, alignment: 16)
        defer { buffer.deallocate() }
        let start = Clock.system.monotonicSeconds()
        var nextTick = start + tickEvery

        func fail(_ what: String, _ code: Int32) {
            report.failed += 1
            if report.firstError == nil { report.firstError = "\(what): \(Errno(rawValue: code).text)" }
        }
        func finish(_ c: Churned) {
            let pending = MPTCPSocket.pendingError(c.fd)
            if pending != 0 { fail("connection to \(options.target)", pending) } else if c.sent < total { report.incomplete += 1 }
            close(c.fd)
            report.closed += 1
        }

        while true {
            let now = Clock.system.monotonicSeconds()
            let elapsed = now - start
            if elapsed >= options.seconds { break }
            // Open what is due by now, so a slow round catches up instead of lowering the rate.
            while Double(report.opened) < elapsed * options.rate {
                report.opened += 1
                let fd = try MPTCPSocket.open(family: options.target.family)
                let rc = options.target.withSockaddr { Glibc.connect(fd, $0, $1) }
                if rc != 0 && errno != EINPROGRESS {
                    fail("cannot connect to \(options.target)", errno)
                    close(fd)
                    continue
                }
                open.append(Churned(fd: fd, seed: UInt64.random(in: 0...UInt64.max),
                                    closeAt: now + Double.random(in: options.lifetime)))
            }
            report.peakOpen = max(report.peakOpen, open.count)
            // Send what each connection still owes; one not yet connected answers EAGAIN.
            for i in open.indices where open[i].sent < total {
                let rest = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<(total - open[i].sent)])
                TrafficPattern.fill(rest, streamOffset: UInt64(open[i].sent), seed: open[i].seed)
                if let n = try? MPTCPSocket.send(open[i].fd, UnsafeRawBufferPointer(rest)) ?? 0 { open[i].sent += n }
            }
            var kept: [Churned] = []
            kept.reserveCapacity(open.count)
            for c in open { if c.closeAt <= now { finish(c) } else { kept.append(c) } }
            open = kept
            if now >= nextTick {
                tick()
                nextTick += tickEvery
            }
            usleep(1000)
        }
        for c in open { finish(c) }
        report.elapsed = Clock.system.monotonicSeconds() - start
        return report
    }
}
