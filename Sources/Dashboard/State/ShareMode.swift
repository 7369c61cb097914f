import MPTCPKit

/// Which share of the bytes the bars show: of the last few seconds (what a handover changes),
/// or since each socket opened (what the kernel's byte counters say).
public enum ShareMode: String, Sendable, CaseIterable {
    case recent
    case sinceStart = "since-start"

    /// The window of the recent share.
    public static let recentSeconds = 5.0

    /// For the pane title and the column heading.
    public var label: String {
        switch self {
        case .recent: return "last \(Int(Self.recentSeconds)) s"
        case .sinceStart: return "since start"
        }
    }

    public var other: ShareMode { self == .recent ? .sinceStart : .recent }
}

extension DashboardState {
    /// How many samples make up the recent window at the current interval.
    var recentSamples: Int { max(1, Int((ShareMode.recentSeconds / max(interval, 0.01)).rounded(.up))) }

    /// Each interface's share in `mode`, largest first. The recent share comes from the rate
    /// history (TX + RX of the last seconds); with nothing carried lately it is empty.
    public func interfaceShares(_ mode: ShareMode) -> [String: Double] {
        let interfaces = snapshot?.interfaces ?? []
        switch mode {
        case .sinceStart:
            return Dictionary(interfaces.map { ($0.name, $0.share) }, uniquingKeysWith: { a, _ in a })
        case .recent:
            return normalized(interfaces.map { ($0.name, recent(history.interfaces[$0.name])) })
        }
    }

    /// A connection's share per interface in `mode`, largest first.
    public func shares(of c: Connection, _ mode: ShareMode) -> [InterfaceShare] {
        switch mode {
        case .sinceStart:
            return c.interfaceShares
        case .recent:
            var carried: [String: Double] = [:]
            for s in c.subflows { carried[s.interfaceName ?? "?", default: 0] += recent(history.subflows[s.cookie]) }
            return normalized(carried.map { ($0.key, $0.value) })
                .map { InterfaceShare(name: $0.key, share: $0.value) }
                .sorted { $0.share != $1.share ? $0.share > $1.share : $0.name < $1.name }
        }
    }

    /// A subflow's share of its connection in `mode`.
    public func share(of s: Subflow, in c: Connection, _ mode: ShareMode) -> Double {
        switch mode {
        case .sinceStart:
            let total = c.bytesCarried
            return total > 0 ? Double(s.bytesCarried) / Double(total) : 0
        case .recent:
            let mine = recent(history.subflows[s.cookie])
            let total = c.subflows.reduce(0.0) { $0 + recent(history.subflows[$1.cookie]) }
            return total > 0 ? mine / total : 0
        }
    }

    /// What a series carried in the recent window (the sum of its rates; the samples are evenly
    /// spaced, so sums compare as bytes do).
    private func recent(_ series: History.Series?) -> Double {
        series?.rates(recentSamples).reduce(0, +) ?? 0
    }

    private func normalized(_ amounts: [(String, Double)]) -> [String: Double] {
        let total = amounts.reduce(0) { $0 + $1.1 }
        guard total > 0 else { return [:] }
        return Dictionary(amounts.map { ($0.0, $0.1 / total) }, uniquingKeysWith: { a, _ in a })
    }
}
