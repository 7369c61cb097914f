import MPTCPKit

/// Rates and RTTs over time, for sparklines and the detail view's charts.
///
/// Series are keyed like the rates (socket cookies, interface names), so a subflow that closes
/// and one that opens never share a line. A series that stops being fed is dropped after
/// `keepMissing` samples, which bounds memory on a server with connection churn.
public struct History: Sendable {
    public static let capacity = 240
    public var keepMissing = 30

    public struct Series: Sendable {
        public var rate = RingBuffer(capacity: History.capacity)
        public var rtt = RingBuffer(capacity: History.capacity)
        var lastSeen = 0
    }

    /// The wall-clock time of each sample, newest last: every series ends at the newest sample,
    /// so the k-th value from the end of any series is from `times`' k-th from the end.
    public private(set) var times = RingBuffer(capacity: History.capacity)
    public private(set) var interfaces: [String: Series] = [:]
    public private(set) var connections: [UInt64: Series] = [:]
    public private(set) var subflows: [UInt64: Series] = [:]
    private var generation = 0

    public init() {}

    /// Adds one sample's figures. Rates are TX + RX: what the path carried in either direction.
    public mutating func record(_ snapshot: Snapshot) {
        generation += 1
        times.append(snapshot.time)
        for i in snapshot.interfaces {
            Self.feed(&interfaces[i.name, default: Series()], rate: total(i.txRate, i.rxRate), rtt: nil, generation)
        }
        for c in snapshot.connections {
            Self.feed(&connections[c.cookie, default: Series()], rate: total(c.txRate, c.rxRate), rtt: nil, generation)
            for s in c.subflows {
                let rtt = s.tcp?.rtt.map { Double($0) / 1000 }
                Self.feed(&subflows[s.cookie, default: Series()], rate: total(s.txRate, s.rxRate), rtt: rtt, generation)
            }
        }
        let oldest = generation - keepMissing
        if generation % 8 == 0 {
            interfaces = interfaces.filter { $0.value.lastSeen > oldest }
            connections = connections.filter { $0.value.lastSeen > oldest }
            subflows = subflows.filter { $0.value.lastSeen > oldest }
        }
    }

    private func total(_ tx: Double?, _ rx: Double?) -> Double? {
        if tx == nil && rx == nil { return nil }
        return (tx ?? 0) + (rx ?? 0)
    }

    private static func feed(_ series: inout Series, rate: Double?, rtt: Double?, _ generation: Int) {
        // The first sample of a socket has no rate yet; a gap would look like a drop to zero.
        if let rate { series.rate.append(rate) }
        if let rtt { series.rtt.append(rtt) }
        series.lastSeen = generation
    }
}
