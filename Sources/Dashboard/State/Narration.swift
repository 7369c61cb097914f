import MPTCPKit

/// The demo's running commentary, in words from the kernel's facts: what a person showing a
/// handover would otherwise say out loud.
public struct Narration: Sendable, Equatable {
    public let text: String
    /// Trouble (a path stalled) or good news (a path back).
    public let good: Bool
}

extension DashboardState {
    /// How long "wifi0 back: ..." stays after a recovery.
    static let recoveryNewsSeconds = 10.0

    /// "wifi0 stalled 2.1 s — cell0 carries 100%", "wifi0 back: carrying 40% again after 3.4 s",
    /// or nil when nothing is happening. Shares are of that connection's rate now (the last
    /// sample): what the paths do at this moment is the story.
    public var narration: Narration? {
        guard let snapshot else { return nil }
        func carrying(_ c: Connection, besides name: String) -> String {
            let parts = Self.sharesNow(c).filter { $0.name != name && $0.share > 0.005 }.map { ($0.name, $0.share) }
            guard !parts.isEmpty else { return "nothing carries traffic" }
            let list = parts.map { "\($0.0) \(Units.percent($0.1))" }.joined(separator: ", ")
            return parts.count == 1 ? "\(parts[0].0) carries \(Units.percent(parts[0].1))" : "carried by " + list
        }
        for c in snapshot.connections {
            guard let s = c.subflows.first(where: { $0.status.isStalled }) else { continue }
            let name = s.interfaceName ?? "?"
            let age = s.rttAge.map { " " + Units.fixed(Double($0) / 1000, decimals: 1) + " s" } ?? ""
            return Narration(text: "\(name) stalled\(age) \(glyphs == .unicode ? "—" : "-") " + carrying(c, besides: name), good: false)
        }
        if let back = timeline.marks.last(where: { $0.kind == .recovered }), let name = back.interface,
           snapshot.time - back.time <= Self.recoveryNewsSeconds {
            let connection = snapshot.connections.first { back.subject.matches($0) }
            let share = connection.flatMap { c in Self.sharesNow(c).first { $0.name == name }?.share } ?? 0
            let after = back.after.map { " after " + Units.fixed($0, decimals: 1) + " s" } ?? ""
            return share > 0.005
                ? Narration(text: "\(name) back: carrying \(Units.percent(share)) again\(after)", good: true)
                : Narration(text: "\(name) back\(after), not carrying traffic yet", good: true)
        }
        return nil
    }

    /// Each interface's share of the connection's rate at the last sample, largest first.
    static func sharesNow(_ c: Connection) -> [InterfaceShare] {
        var rates: [String: Double] = [:]
        for s in c.subflows { rates[s.interfaceName ?? "?", default: 0] += (s.txRate ?? 0) + (s.rxRate ?? 0) }
        let total = rates.values.reduce(0, +)
        guard total > 0 else { return [] }
        return rates.map { InterfaceShare(name: $0.key, share: $0.value / total) }.sorted { $0.share > $1.share }
    }
}
