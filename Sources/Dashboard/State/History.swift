import MPTCPKit

/// Rates and RTTs over time, for sparklines and the detail view's charts.
///
/// Series are keyed like the rates (socket cookies, interface names), so a subflow that closes
/// and one that opens never share a line. A series that stops being fed is dropped after
/// `keepMissing` samples, which bounds memory on a server with connection churn.
///
/// What it keeps is bounded by what a person can look at, not by the number of sockets: every
/// subflow keeps a short window (enough for the recent share), and only up to `budget` of them
/// the whole `capacity`, those on screen first (`watch`). A series that grows from a short
/// window knows its earlier past was not recorded (`pastUnknown`), and the graphs say so.
/// Below the budget (a laptop, a lab) every subflow keeps its whole history from its first sample.
public struct History: Sendable {
    public static let capacity = 240
    /// The recent share's window at the shortest refresh interval (5 s at 250 ms).
    public static let shortCapacity = Int((ShareMode.recentSeconds / DashboardState.intervals.min()!).rounded(.up))
    /// Subflows with a whole history beyond those on screen: about 2 MB (4 bytes per value).
    public static let defaultBudget = 1000
    public var keepMissing = 30
    public var budget = History.defaultBudget

    public struct Series: Sendable {
        /// TX + RX in bytes a second: a Float is exact to 24 bits, more than a graph shows.
        private var rate: RingBuffer<Float>
        /// Smoothed RTT in microseconds, as the kernel gives it.
        private var rtt: RingBuffer<UInt32>
        /// Whether values older than the first one kept were dropped before it had its whole
        /// window: the socket was there, nobody was looking. False again once the window is full.
        public private(set) var pastUnknown = false
        var lastSeen = 0
        var lastWatched = Int.min

        init(capacity: Int) {
            rate = RingBuffer(capacity: capacity)
            rtt = RingBuffer(capacity: capacity)
        }

        /// The newest `n` rates (bytes a second), oldest first.
        public func rates(_ n: Int) -> [Double] { rate.suffix(n) { Double($0) } }
        /// The newest `n` RTTs in milliseconds, oldest first.
        public func rtts(_ n: Int) -> [Double] { rtt.suffix(n) { Double($0) / 1000 } }

        var whole: Bool { rate.capacity == History.capacity }

        mutating func append(rate value: Double?, rttMicros: UInt32?) {
            if let value {
                if rate.isFull && !whole { pastUnknown = true }
                rate.append(Float(value))
            }
            if let rttMicros {
                if rtt.isFull && !whole { pastUnknown = true }
                rtt.append(rttMicros)
            }
            if whole && rate.isFull { pastUnknown = false }
        }

        mutating func resize(to capacity: Int) {
            if rate.count > capacity || rtt.count > capacity { pastUnknown = true }
            rate.resize(to: capacity)
            rtt.resize(to: capacity)
        }
    }

    /// The wall-clock time of each sample, newest last: every series ends at the newest sample,
    /// so the k-th value from the end of any series is from `times`' k-th from the end.
    public private(set) var times = RingBuffer<Double>(capacity: History.capacity)
    public private(set) var interfaces: [String: Series] = [:]
    public private(set) var subflows: [UInt64: Series] = [:]
    /// How many of `subflows` keep the whole window.
    public private(set) var wholeSubflows = 0
    private var generation = 0

    public init() {}

    /// Adds one sample's figures. Rates are TX + RX: what the path carried in either direction.
    public mutating func record(_ snapshot: Snapshot) {
        generation += 1
        times.append(snapshot.time)
        for i in snapshot.interfaces {
            Self.feed(&interfaces[i.name, default: Series(capacity: Self.capacity)], rate: total(i.txRate, i.rxRate), rtt: nil, generation)
        }
        for c in snapshot.connections {
            for s in c.subflows {
                let rate = total(s.txRate, s.rxRate), rtt = s.tcp?.rtt
                if let i = subflows.index(forKey: s.cookie) {
                    Self.feed(&subflows.values[i], rate: rate, rtt: rtt, generation)
                } else {
                    let whole = wholeSubflows < budget
                    if whole { wholeSubflows += 1 }
                    var series = Series(capacity: whole ? Self.capacity : Self.shortCapacity)
                    Self.feed(&series, rate: rate, rtt: rtt, generation)
                    subflows[s.cookie] = series
                }
            }
        }
        let oldest = generation - keepMissing
        if generation % 8 == 0 {
            interfaces = interfaces.filter { $0.value.lastSeen > oldest }
            subflows = subflows.filter { $0.value.lastSeen > oldest }
            wholeSubflows = subflows.values.reduce(0) { $0 + ($1.whole ? 1 : 0) }
        }
    }

    /// The subflows someone can see now (rows on screen, the selection, the detail view) keep
    /// their whole window from now on; past the budget, those looked at longest ago go back to
    /// the short one.
    public mutating func watch(_ cookies: [UInt64]) {
        for cookie in cookies {
            guard var series = subflows[cookie] else { continue }
            subflows[cookie] = nil  // no second reference while it grows (no copy of its storage)
            if !series.whole {
                series.resize(to: Self.capacity)
                wholeSubflows += 1
            }
            series.lastWatched = generation
            subflows[cookie] = series
        }
        guard wholeSubflows > budget else { return }
        // Down to 90% of the budget, so scrolling does not sort them again at every step.
        let excess = wholeSubflows - budget * 9 / 10
        let unwatched = subflows.filter { $0.value.whole && $0.value.lastWatched < generation }
            .sorted { $0.value.lastWatched < $1.value.lastWatched }
            .prefix(excess)
        for (cookie, _) in unwatched {
            subflows[cookie]?.resize(to: Self.shortCapacity)
            wholeSubflows -= 1
        }
    }

    private func total(_ tx: Double?, _ rx: Double?) -> Double? {
        if tx == nil && rx == nil { return nil }
        return (tx ?? 0) + (rx ?? 0)
    }

    private static func feed(_ series: inout Series, rate: Double?, rtt: UInt32?, _ generation: Int) {
        // The first sample of a socket has no rate yet; a gap would look like a drop to zero.
        series.append(rate: rate, rttMicros: rtt)
        series.lastSeen = generation
    }
}
