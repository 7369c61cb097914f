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
    public private(set) var subflows = SubflowSeries()
    /// How many of `subflows` keep the whole window.
    public private(set) var wholeSubflows = 0
    private var generation = 0

    /// Every subflow's series, found by socket cookie.
    ///
    /// Stored in an array, with a table from cookie to place in it, and the last sample's
    /// cookies in the kernel's order with their places: the kernel lists its sockets in the same
    /// order sample after sample, so `record` finds each subflow in the last sample with a
    /// `CookieLookup` (as the rates do) and asks the table only for one the last sample did not
    /// have (a lookup for each of 20,000 subflows at every refresh was a third of the history's
    /// time).
    public struct SubflowSeries: Sendable {
        fileprivate var series: [Series] = []
        fileprivate var places: [UInt64: Int] = [:]
        fileprivate var order: [UInt64] = []
        fileprivate var orderPlaces: [Int] = []
        /// Whether `order` is known to hold each cookie once (see `CookieLookup`).
        fileprivate var orderUnique = true

        public subscript(cookie: UInt64) -> Series? { places[cookie].map { series[$0] } }
        public var count: Int { series.count }
        public var values: [Series] { series }
    }

    public init() {}

    /// Adds one sample's figures. Rates are TX + RX: what the path carried in either direction.
    public mutating func record(_ snapshot: Snapshot) {
        generation += 1
        times.append(snapshot.time)
        for i in snapshot.interfaces {
            Self.feed(&interfaces[i.name, default: Series(capacity: Self.capacity)], rate: total(i.txRate, i.rxRate), rtt: nil, generation)
        }
        var before = CookieLookup(cookies: subflows.order, unique: subflows.orderUnique)
        var order: [UInt64] = [], orderPlaces: [Int] = []
        order.reserveCapacity(subflows.order.count)
        orderPlaces.reserveCapacity(subflows.order.count)
        for ci in snapshot.connections.indices {
            for si in snapshot.connections[ci].subflows.indices {
                // Read in place: a copy of a subflow retains its strings.
                let cookie = snapshot.connections[ci].subflows[si].cookie
                let rate = total(snapshot.connections[ci].subflows[si].txRate, snapshot.connections[ci].subflows[si].rxRate)
                let rtt = snapshot.connections[ci].subflows[si].tcpInfo.rtt
                let place: Int
                if let p = before.position(of: cookie) {
                    place = subflows.orderPlaces[p]
                } else if let known = subflows.places[cookie] {
                    place = known
                } else {
                    let whole = wholeSubflows < budget
                    if whole { wholeSubflows += 1 }
                    place = subflows.series.count
                    subflows.series.append(Series(capacity: whole ? Self.capacity : Self.shortCapacity))
                    subflows.places[cookie] = place
                }
                Self.feed(&subflows.series[place], rate: rate, rtt: rtt, generation)
                order.append(cookie)
                orderPlaces.append(place)
            }
        }
        subflows.orderUnique = before.allHit(order.count)
        subflows.order = order
        subflows.orderPlaces = orderPlaces
        let oldest = generation - keepMissing
        if generation % 8 == 0 {
            interfaces = interfaces.filter { $0.value.lastSeen > oldest }
            if subflows.series.contains(where: { $0.lastSeen <= oldest }) {
                var kept = SubflowSeries()
                for (cookie, place) in subflows.places where subflows.series[place].lastSeen > oldest {
                    kept.places[cookie] = kept.series.count
                    kept.series.append(subflows.series[place])
                }
                // The places moved: the next sample asks the table once.
                subflows = kept
            }
            wholeSubflows = subflows.series.reduce(0) { $0 + ($1.whole ? 1 : 0) }
        }
    }

    /// The subflows someone can see now (rows on screen, the selection, the detail view) keep
    /// their whole window from now on; past the budget, those looked at longest ago go back to
    /// the short one.
    public mutating func watch(_ cookies: [UInt64]) {
        for cookie in cookies {
            guard let place = subflows.places[cookie] else { continue }
            if !subflows.series[place].whole {
                subflows.series[place].resize(to: Self.capacity)
                wholeSubflows += 1
            }
            subflows.series[place].lastWatched = generation
        }
        guard wholeSubflows > budget else { return }
        // Down to 90% of the budget, so scrolling does not sort them again at every step.
        let excess = wholeSubflows - budget * 9 / 10
        let unwatched = subflows.series.indices.filter { subflows.series[$0].whole && subflows.series[$0].lastWatched < generation }
            .sorted { subflows.series[$0].lastWatched < subflows.series[$1].lastWatched }
            .prefix(excess)
        for place in unwatched {
            subflows.series[place].resize(to: Self.shortCapacity)
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
