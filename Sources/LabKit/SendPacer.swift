/// A token bucket that spreads sends over time to hold a bit rate.
struct SendPacer {
    let bytesPerSecond: Double
    /// The most the bucket holds: 50 ms of traffic, but never less than one minimum send.
    let capacity: Double
    /// Below this allowance the sender waits instead of making tiny writes.
    let minimumSend: Double
    private var tokens: Double
    private var last: Double

    init(bitsPerSecond: Double, now: Double) {
        bytesPerSecond = max(bitsPerSecond / 8, 1)
        minimumSend = min(16 * 1024, max(1, bytesPerSecond * 0.01))
        capacity = max(minimumSend, bytesPerSecond * 0.05)
        tokens = minimumSend
        last = now
    }

    /// Bytes that may be sent now (0 when the sender should wait).
    mutating func allowance(now: Double) -> Int {
        tokens = min(capacity, tokens + (now - last) * bytesPerSecond)
        last = now
        return tokens >= minimumSend ? Int(min(tokens, Double(TrafficClient.chunkSize))) : 0
    }

    /// Seconds until a minimum send's worth of tokens has accumulated.
    func secondsUntilNextSend() -> Double {
        max(0.001, (minimumSend - tokens) / bytesPerSecond)
    }

    mutating func consume(_ bytes: Int) {
        tokens -= Double(bytes)
    }
}
