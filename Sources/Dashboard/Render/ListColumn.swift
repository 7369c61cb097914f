/// The columns of the connection list. Connection and subflow rows share them, so a subflow's
/// figures sit under its connection's (its cwnd under the subflow count, its rates under the
/// connection's rates). Which are shown, and in what order, is the person's (the column chooser).
public enum ListColumn: CaseIterable, Sendable {
    case id, addresses, cwnd, rtt, tx, rx, bytes, retrans, share, process, status

    /// The name in the settings file and the column chooser.
    public var name: String {
        switch self {
        case .id: return "token"
        case .addresses: return "addresses"
        case .cwnd: return "cwnd"
        case .rtt: return "rtt"
        case .tx: return "tx"
        case .rx: return "rx"
        case .bytes: return "bytes"
        case .retrans: return "retrans"
        case .share: return "share"
        case .process: return "process"
        case .status: return "status"
        }
    }

    public init?(name: String) {
        guard let c = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = c
    }

    /// What the chooser says of it.
    var about: String {
        switch self {
        case .id: return "token; interface of a subflow (always shown)"
        case .addresses: return "local and remote address"
        case .cwnd: return "subflows of a connection; cwnd of a subflow"
        case .rtt: return "smoothed RTT and its variance"
        case .tx: return "send rate"
        case .rx: return "receive rate"
        case .bytes: return "bytes carried"
        case .retrans: return "retransmitted segments"
        case .share: return "share of the bytes by interface"
        case .process: return "owning process; congestion control"
        case .status: return "what a path is doing"
        }
    }

    /// The token column first (the rows hang from it), each column once.
    static func normalized(_ columns: [ListColumn]) -> [ListColumn] {
        var seen: Set<ListColumn> = [.id]
        return [.id] + columns.filter { seen.insert($0).inserted }
    }

    var heading: String {
        switch self {
        case .id: return "  TOKEN"
        case .addresses: return "LOCAL -> REMOTE"  // drawn with the glyph set's arrow
        case .cwnd: return "SF/CWND"
        case .rtt: return "RTT ms"
        case .tx: return "TX"
        case .rx: return "RX"
        case .bytes: return "BYTES"
        case .retrans: return "RETR"
        case .share: return "SHARE BY INTERFACE"
        case .process: return "PROCESS"
        case .status: return "STATUS"
        }
    }

    /// The heading when the column is too narrow for the full one.
    var shortHeading: String {
        switch self {
        case .addresses: return "REMOTE"
        case .share: return "SHARE"
        default: return heading
        }
    }

    /// Headings of numeric columns are right-aligned over their numbers.
    var rightAligned: Bool {
        switch self {
        case .cwnd, .rtt, .tx, .rx, .bytes, .retrans: return true
        default: return false
        }
    }

    var minimumWidth: Int {
        switch self {
        case .id: return 11
        case .addresses: return 17
        case .cwnd: return 7
        case .rtt: return 8
        case .tx, .rx: return 7
        case .bytes: return 8
        case .retrans: return 5
        case .share: return 8
        case .process: return 10
        case .status: return 8
        }
    }

    /// The width it should have before less important columns are shown at all: the
    /// addresses of an IPv4 connection in full ("198.18.1.1:40000 → 198.18.0.1:5201").
    var desiredWidth: Int {
        switch self {
        case .addresses: return 34
        case .share: return 12
        // Room for "stalled 4.2s".
        case .status: return 12
        default: return minimumWidth
        }
    }

    /// How much of the spare width it takes (0: fixed).
    var weight: Int {
        switch self {
        case .addresses: return 3
        case .share, .status: return 2
        case .process: return 1
        default: return 0
        }
    }

    /// Wider than this is wasted space.
    var maximumWidth: Int {
        switch self {
        case .addresses: return 64
        case .share: return 40
        case .process: return 24
        // A connection's summary: "wifi0 stalled 4.2s".
        case .status: return 20
        default: return minimumWidth
        }
    }

    /// Columns that go first when the terminal is narrow get low numbers.
    var priority: Int {
        switch self {
        case .id, .addresses: return 10
        // What a subflow is doing is the first thing a person asks.
        case .tx, .rx, .share, .status: return 9
        case .cwnd, .rtt: return 8
        case .process: return 6
        case .bytes: return 5
        case .retrans: return 4
        }
    }

    struct Placed: Equatable {
        let column: ListColumn
        let x: Int
        let width: Int
    }

    /// The columns that fit in `width`, with their positions: drop the least important until the
    /// important ones get their desired width (then, on very narrow screens, their minimum), then
    /// share the rest among the flexible ones.
    static func fit(width: Int, columns: [ListColumn] = allCases) -> [Placed] {
        var chosen = columns
        func needed(_ cs: [ListColumn], _ w: (ListColumn) -> Int) -> Int { cs.reduce(0) { $0 + w($1) } + cs.count - 1 }
        while needed(chosen, \.desiredWidth) > width,
              let drop = chosen.filter({ $0.priority < 8 }).min(by: { $0.priority < $1.priority }) {
            chosen.removeAll { $0 == drop }
        }
        while needed(chosen, \.minimumWidth) > width, let drop = chosen.min(by: { $0.priority < $1.priority }), chosen.count > 1 {
            chosen.removeAll { $0 == drop }
        }
        let roomy = needed(chosen, \.desiredWidth) <= width
        var widths = chosen.map { roomy ? $0.desiredWidth : $0.minimumWidth }
        var spare = width - needed(chosen, roomy ? \.desiredWidth : \.minimumWidth)
        while spare > 0 {
            let growable = chosen.indices.filter { chosen[$0].weight > 0 && widths[$0] < chosen[$0].maximumWidth }
            guard !growable.isEmpty else { break }
            let total = growable.reduce(0) { $0 + chosen[$1].weight }
            var given = 0
            for i in growable {
                let add = min(chosen[i].maximumWidth - widths[i], max(1, spare * chosen[i].weight / total))
                widths[i] += min(add, spare - given)
                given += min(add, spare - given)
                if given >= spare { break }
            }
            spare -= given
        }
        var x = 0
        return chosen.indices.map { i in
            defer { x += widths[i] + 1 }
            return Placed(column: chosen[i], x: x, width: widths[i])
        }
    }
}
