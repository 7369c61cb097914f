#if canImport(Glibc)
import Glibc
#endif

/// Time sources, injectable so rates can be tested without sleeping.
public struct Clock: Sendable {
    public var monotonicNanos: @Sendable () -> UInt64
    public var wallSeconds: @Sendable () -> Double

    public init(monotonicNanos: @escaping @Sendable () -> UInt64, wallSeconds: @escaping @Sendable () -> Double) {
        self.monotonicNanos = monotonicNanos
        self.wallSeconds = wallSeconds
    }

    /// The monotonic clock in seconds: for deadlines and pacing, which wall-clock jumps must
    /// not stretch or cut short.
    public func monotonicSeconds() -> Double { Double(monotonicNanos()) / 1e9 }

    public static let system = Clock(
        monotonicNanos: {
            var ts = timespec()
            clock_gettime(CLOCK_MONOTONIC, &ts)
            return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
        },
        wallSeconds: {
            var ts = timespec()
            clock_gettime(CLOCK_REALTIME, &ts)
            return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
        })
}
