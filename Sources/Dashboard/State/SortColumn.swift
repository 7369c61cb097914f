import MPTCPKit

/// The columns the connection list can be sorted by. Without one, rows keep the order in which
/// connections first appeared, so nothing jumps around while a person reads.
public enum SortColumn: String, CaseIterable, Sendable {
    case token, local, remote, subflows, tx, rx, bytes, rtt, process

    public var label: String {
        switch self {
        case .token: return "token"
        case .local: return "local"
        case .remote: return "remote"
        case .subflows: return "subflows"
        case .tx: return "TX rate"
        case .rx: return "RX rate"
        case .bytes: return "bytes"
        case .rtt: return "RTT"
        case .process: return "process"
        }
    }

    /// Whether the natural order is largest first (rates, bytes: what a person looks for).
    var descendingByDefault: Bool {
        switch self {
        case .subflows, .tx, .rx, .bytes, .rtt: return true
        default: return false
        }
    }

    /// `a` before `b` in this column's natural order; ties are left to the caller's stable order.
    func ordered(_ a: Connection, _ b: Connection) -> Bool? {
        func cmp<T: Comparable>(_ x: T, _ y: T) -> Bool? { x == y ? nil : (descendingByDefault ? x > y : x < y) }
        switch self {
        case .token:
            // A connection without a token (no mptcp_info) comes after every one with one (first
            // when the order is reversed); among themselves they keep the caller's stable order.
            switch (a.token, b.token) {
            case let (x?, y?): return cmp(x, y)
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return nil
            }
        case .local: return a.local.sortKey == b.local.sortKey ? nil : a.local.sortKey < b.local.sortKey
        case .remote: return a.remote.sortKey == b.remote.sortKey ? nil : a.remote.sortKey < b.remote.sortKey
        case .subflows: return cmp(a.subflows.count, b.subflows.count)
        case .tx: return cmp(a.txRate ?? -1, b.txRate ?? -1)
        case .rx: return cmp(a.rxRate ?? -1, b.rxRate ?? -1)
        case .bytes: return cmp(a.bytesCarried, b.bytesCarried)
        case .rtt: return cmp(a.smallestRTT ?? 0, b.smallestRTT ?? 0)
        case .process: return cmp(a.process?.name ?? "\u{10FFFF}", b.process?.name ?? "\u{10FFFF}")
        }
    }
}

extension SocketAddress {
    /// Orders by family, address, then port, numerically (198.18.1.10 after 198.18.1.9).
    var sortKey: AddressSortKey {
        var high: UInt64 = 0, low: UInt64 = 0
        for (i, b) in address.bytes.enumerated() {
            if i < 8 { high = high << 8 | UInt64(b) } else { low = low << 8 | UInt64(b) }
        }
        return AddressSortKey(family: address.family.rawValue, high: high, low: low, port: port)
    }
}

/// An address in network byte order as numbers, so sorting is numeric, not textual.
struct AddressSortKey: Comparable {
    let family: UInt8, high: UInt64, low: UInt64, port: UInt16
    static func < (a: AddressSortKey, b: AddressSortKey) -> Bool {
        (a.family, a.high, a.low, a.port) < (b.family, b.high, b.low, b.port)
    }
}

extension Connection {
    /// All the bytes its subflows carried, both directions.
    public var bytesCarried: UInt64 { subflows.reduce(0) { $0 &+ $1.bytesCarried } }
    /// The best path's smoothed RTT in microseconds.
    /// Stale RTTs (no ACK for a while) say nothing about the path now and are left out.
    public var smallestRTT: UInt32? { subflows.filter { !$0.rttIsStale }.compactMap { $0.tcpInfo.rtt }.min() }
    /// Retransmitted segments over all subflows.
    public var retransmissions: UInt32 { subflows.reduce(0) { $0 &+ ($1.tcpInfo.totalRetrans ?? 0) } }
}
