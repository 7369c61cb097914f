import MPTCPKit

/// Which row is selected, by identity: it stays on the same socket while others come and go.
public enum RowID: Hashable, Sendable {
    case connection(UInt64)
    case subflow(connection: UInt64, subflow: UInt64)
}

/// One line of the connection list.
public struct ListRow: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case connection(index: Int, expanded: Bool)
        case subflow(connection: Int, subflow: Int, last: Bool)
        /// A connection that closed (index into `departures.connections`), shown dimmed.
        case departedConnection(index: Int)
        /// A subflow that closed while its connection lives on (index into `departures.subflows`).
        case departedSubflow(connection: Int, departed: Int, last: Bool)
    }
    public let id: RowID
    public let kind: Kind
}

public enum Pane: Sendable, Equatable { case interfaces, connections }
public enum Screen: Sendable, Equatable {
    case list
    case detail(connection: UInt64)
    /// The path manager's event log (`e`).
    case events
    /// The namespace's MPTcpExt counters (`c`).
    case counters
    /// `mptop diagnose` findings (`d`).
    case diagnosis
}

/// Everything the dashboard shows and remembers between frames: the view model.
///
/// It is a value: the event loop feeds it samples and keys, the renderer draws it. Tests drive it
/// the same way without a terminal or a kernel.
public struct DashboardState: Sendable {
    public var header: HeaderInfo
    public internal(set) var width: Int
    public internal(set) var height: Int
    public var glyphs: Glyphs

    public internal(set) var snapshot: Snapshot?
    public internal(set) var history = History()
    /// Sample count, for "waiting for the first sample" and tests.
    public internal(set) var samples = 0

    /// Connection cookie -> the order it was first seen in: the default row order.
    private var firstSeen: [UInt64: Int] = [:]
    private var nextSequence = 0
    /// Each connection's first-seen order, in `snapshot.connections`' order, their cookies, and
    /// whether those are known to be distinct (see `CookieLookup`).
    private var ranks: [Int] = []
    private var rankedCookies: [UInt64] = []
    private var rankedCookiesUnique = true
    /// Interface name -> colour slot, given in order of first appearance so colours stay put.
    public internal(set) var interfaceSlots: [String: Int] = [:]

    public internal(set) var rows: [ListRow] = []
    public internal(set) var expanded: Set<UInt64> = []
    public internal(set) var selection: RowID?
    public internal(set) var selectedInterface: String?
    public internal(set) var scroll = 0

    public internal(set) var sort: SortColumn?
    public internal(set) var sortReversed = false
    public internal(set) var filter = ""
    public internal(set) var editingFilter = false

    public internal(set) var paused = false
    public internal(set) var interval: Double
    public static let intervals: [Double] = [0.25, 0.5, 1, 2, 3, 5, 10]

    /// The list's columns, in order, as the column chooser left them.
    public internal(set) var columns: [ListColumn] = ListColumn.allCases
    /// The column chooser, while it is open.
    public internal(set) var columnChooser: ColumnChooser?
    /// What the share bars show: the last few seconds, or since each socket opened.
    public internal(set) var shareMode: ShareMode = .recent
    public internal(set) var pane: Pane = .connections
    public internal(set) var screen: Screen = .list
    public internal(set) var showHelp = false
    public var themeNames: [String]
    public internal(set) var themeIndex = 0
    /// A one-line note in the footer (e.g. "connection 5f1c closed"), until the next key.
    public var message: String?
    public internal(set) var quit = false
    /// The kernel's side (issue 6): path-manager events, closed sockets kept for a while, counters.
    public internal(set) var eventLog = PathManagerEventLog(capacity: 2000)
    public internal(set) var departures = Departures()
    /// What happened to the paths when: marks for the detail view's time axis and the event log.
    public internal(set) var timeline = Timeline()
    /// How the dashboard learns of changes: live path-manager events, or polling only (and why).
    public enum EventsMode: Sendable, Equatable {
        case live
        case polling(reason: String)
    }
    public var events: EventsMode?
    public internal(set) var counters: [MPTCPCounterChange] = []
    public internal(set) var showZeroCounters = false
    public var diagnosis: Diagnosis?
    /// First line shown in the events, counters and diagnosis screens.
    public internal(set) var pageScroll = 0
    /// Whether the event log follows new events (until the person scrolls up).
    public internal(set) var followEvents = true

    /// Acting on connections (issue 4): the open confirmation dialog and the failover panel.
    public var dialog: Dialog?
    public var failover: FailoverPanel?

    /// The extra bar above the footer (the demo's keys and receiver counter), if any.
    public var bar: StatusBar?

    /// Replaying a recording: where it is and how it plays (nil for the live dashboard).
    public var playback: Playback?
    /// The recording the `R` key started, while it runs.
    public var recording: RecordingStatus?

    public init(header: HeaderInfo, width: Int, height: Int, interval: Double = 1,
                glyphs: Glyphs = .unicode, themeNames: [String] = ["basic"], themeIndex: Int = 0) {
        self.header = header
        self.width = width
        self.height = height
        self.interval = interval
        self.glyphs = glyphs
        self.themeNames = themeNames
        self.themeIndex = min(max(0, themeIndex), max(0, themeNames.count - 1))
    }

    public var layout: DashboardLayout {
        DashboardLayout(width: width, height: height, interfaceCount: snapshot?.interfaces.count ?? 0, bar: bar != nil)
    }

    /// Whether a plain key is a command now (not text for the filter, not closing the help).
    public var acceptsCommandKeys: Bool { !editingFilter && !showHelp && columnChooser == nil }

    public var themeName: String { themeNames.isEmpty ? "basic" : themeNames[themeIndex] }

    // MARK: samples

    /// Takes in a new sample: history, stable order, colours, then the rows are rebuilt and the
    /// selection kept on the same socket (or the row now at its place, if it went away).
    public mutating func apply(_ next: Snapshot) {
        let oldIndex = selectionIndex
        ranks = rankConnections(next)
        for i in next.interfaces where interfaceSlots[i.name] == nil {
            interfaceSlots[i.name] = interfaceSlots.count
        }
        // The set of live cookies only when something needs it: 10,000 inserts a refresh otherwise.
        let detailCookie: UInt64? = if case .detail(let cookie) = screen { cookie } else { nil }
        if firstSeen.count > 2 * next.connections.count + 64 || !expanded.isEmpty || detailCookie != nil {
            let live = Set(next.connections.map(\.cookie))
            if firstSeen.count > 2 * live.count + 64 { firstSeen = firstSeen.filter { live.contains($0.key) } }
            expanded.formIntersection(live)
            if let detailCookie, !live.contains(detailCookie) {
                screen = .list
                message = "the connection in the detail view closed"
            }
        }
        history.record(next)
        timeline.observe(next)
        departures.update(with: next)
        snapshot = next
        samples += 1
        rebuildRows(keepingSelectionNear: oldIndex)
    }

    /// Each connection's first-seen order (new ones get the next), in `next.connections`'
    /// order. The kernel lists the connections in the same order sample after sample, so each
    /// is found in the last sample with a `CookieLookup` (as the rates do), and the table is
    /// asked only for one the last sample did not have: two lookups a connection, one here and
    /// one in the sort, were 20,000 hashes a refresh at 10,000 connections.
    private mutating func rankConnections(_ next: Snapshot) -> [Int] {
        var before = CookieLookup(cookies: rankedCookies, unique: rankedCookiesUnique)
        var out: [Int] = [], cookies: [UInt64] = []
        out.reserveCapacity(next.connections.count)
        cookies.reserveCapacity(next.connections.count)
        for ci in next.connections.indices {
            let cookie = next.connections[ci].cookie
            cookies.append(cookie)
            if let p = before.position(of: cookie) {
                out.append(ranks[p])
            } else if let rank = firstSeen[cookie] {
                out.append(rank)
            } else {
                firstSeen[cookie] = nextSequence
                out.append(nextSequence)
                nextSequence += 1
            }
        }
        rankedCookiesUnique = before.allHit(cookies.count)
        rankedCookies = cookies
        return out
    }

    /// Forgets every sample and event taken in (a replay that seeks rebuilds them from the
    /// recording); what the person set up (selection, sort, filter, screen, columns, colours
    /// of interfaces) stays.
    public mutating func forgetSamples() {
        snapshot = nil
        ranks = []
        rankedCookies = []
        rankedCookiesUnique = true
        history = History()
        samples = 0
        firstSeen = [:]
        nextSequence = 0
        eventLog = PathManagerEventLog(capacity: eventLog.capacity)
        departures = Departures(retention: departures.retention)
        timeline = Timeline()
        counters = []
        diagnosis = nil
        rows = []
    }

    public mutating func resize(width: Int, height: Int) {
        self.width = width
        self.height = height
        clampScroll()
    }

    // MARK: rows

    /// The index of the selected row in `rows`.
    public var selectionIndex: Int? {
        guard let selection else { return nil }
        return rows.firstIndex { $0.id == selection }
    }

    /// The live connection of the selected row (nil on a closed connection).
    public var selectedConnection: Connection? {
        guard let i = selectionIndex, let snapshot else { return nil }
        switch rows[i].kind {
        case .connection(let ci, _), .subflow(let ci, _, _), .departedSubflow(let ci, _, _): return snapshot.connections[ci]
        case .departedConnection: return nil
        }
    }

    /// The live subflow of the selected row, with its connection.
    public var selectedSubflow: (connection: Connection, subflow: Subflow)? {
        guard let i = selectionIndex, let snapshot, case .subflow(let ci, let si, _) = rows[i].kind else { return nil }
        return (snapshot.connections[ci], snapshot.connections[ci].subflows[si])
    }

    /// Filtered, sorted connections with the subflows of expanded ones.
    mutating func rebuildRows(keepingSelectionNear oldIndex: Int? = nil) {
        guard let snapshot else { rows = []; return }
        var order = Array(snapshot.connections.indices)
        if !filter.isEmpty {
            let needle = filter.lowercased()
            order = order.filter { ConnectionFilter.matches(snapshot.connections[$0], needle) }
        }
        // Each connection's first-seen rank is looked up once, not twice per comparison, and the
        // connections are compared in place (a copy of one costs a retain of its arrays): at
        // 10,000 connections the sort made some 280,000 hash lookups at every refresh.
        let seen = firstSeen
        let ranks = self.ranks.count == snapshot.connections.count ? self.ranks : snapshot.connections.map { seen[$0.cookie] ?? Int.max }
        let column = sort, reversed = sortReversed
        snapshot.connections.withUnsafeBufferPointer { connections in
            order.sort { a, b in
                if let column, let before = column.ordered(connections[a], connections[b]) { return before != reversed }
                return column == nil && reversed ? ranks[a] > ranks[b] : ranks[a] < ranks[b]
            }
        }
        var out: [ListRow] = []
        out.reserveCapacity(order.count)
        // Closed subflows of live connections, by connection cookie (few: they expire).
        var departedByConnection: [UInt64: [Int]] = [:]
        for (i, d) in departures.subflows.enumerated() { departedByConnection[d.connectionCookie, default: []].append(i) }
        for ci in order {
            // In place: a copy of each connection retains its arrays and strings.
            let cookie = snapshot.connections[ci].cookie
            let open = !expanded.isEmpty && expanded.contains(cookie)
            out.append(ListRow(id: .connection(cookie), kind: .connection(index: ci, expanded: open)))
            guard open else { continue }
            let c = snapshot.connections[ci]
            let gone = departedByConnection[c.cookie] ?? []
            for si in c.subflows.indices {
                out.append(ListRow(id: .subflow(connection: c.cookie, subflow: c.subflows[si].cookie),
                                   kind: .subflow(connection: ci, subflow: si, last: si == c.subflows.count - 1 && gone.isEmpty)))
            }
            for (n, di) in gone.enumerated() {
                out.append(ListRow(id: .subflow(connection: c.cookie, subflow: departures.subflows[di].subflow.cookie),
                                   kind: .departedSubflow(connection: ci, departed: di, last: n == gone.count - 1)))
            }
        }
        // Closed connections go last, dimmed, until they expire: their final figures stay readable.
        for (i, d) in departures.connections.enumerated()
        where filter.isEmpty || ConnectionFilter.matches(d.connection, filter.lowercased()) {
            out.append(ListRow(id: .connection(d.connection.cookie), kind: .departedConnection(index: i)))
        }
        rows = out
        if selectionIndex == nil {
            if case .subflow(let parent, _)? = selection, rows.contains(where: { $0.id == .connection(parent) }) {
                selection = .connection(parent)
            } else if !rows.isEmpty {
                selection = rows[min(oldIndex ?? 0, rows.count - 1)].id
            } else {
                selection = nil
            }
        }
        if let name = selectedInterface, !snapshot.interfaces.contains(where: { $0.name == name }) { selectedInterface = nil }
        if selectedInterface == nil { selectedInterface = snapshot.interfaces.first?.name }
        clampScroll()
    }

    /// Keeps the selected row inside the visible part of the list.
    mutating func clampScroll() {
        let visible = max(1, layout.listRows.count)
        if let i = selectionIndex {
            if i < scroll { scroll = i }
            if i >= scroll + visible { scroll = i - visible + 1 }
        }
        scroll = max(0, min(scroll, max(0, rows.count - visible)))
        history.watch(watchedSubflows)
    }

    /// The subflows whose graphs can be on screen: those of the connections with a row in view,
    /// of the selected one and of the one in the detail view (their shares are drawn too).
    var watchedSubflows: [UInt64] {
        guard let snapshot else { return [] }
        var cookies: [UInt64] = []
        func add(_ c: Connection) { for s in c.subflows { cookies.append(s.cookie) } }
        let visible = max(1, layout.listRows.count)
        for row in rows[min(scroll, rows.count)..<min(rows.count, scroll + visible)] {
            switch row.kind {
            case .connection(let ci, _), .subflow(let ci, _, _), .departedSubflow(let ci, _, _): add(snapshot.connections[ci])
            case .departedConnection: break
            }
        }
        if let c = selectedConnection { add(c) }
        if case .detail(let cookie) = screen, let c = snapshot.connections.first(where: { $0.cookie == cookie }) { add(c) }
        return cookies
    }
}
