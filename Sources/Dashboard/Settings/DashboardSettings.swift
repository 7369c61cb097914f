/// The part of the dashboard's setup a person changes and expects to find again, like htop's:
/// theme, sort, refresh interval, columns, how long closed rows stay, what the share bars show.
/// Nil means "not set": the built-in default, or what a flag says.
public struct DashboardSettings: Equatable, Sendable {
    public var theme: String?
    /// `.some(nil)` is "first seen" (no sort column) set explicitly.
    public var sort: SortColumn??
    public var sortReversed: Bool?
    public var interval: Double?
    /// The list's columns, in order (the token column is always first).
    public var columns: [ListColumn]?
    public var keepClosed: Double?
    public var shareMode: ShareMode?

    public init(theme: String? = nil, sort: SortColumn?? = nil, sortReversed: Bool? = nil, interval: Double? = nil,
                columns: [ListColumn]? = nil, keepClosed: Double? = nil, shareMode: ShareMode? = nil) {
        self.theme = theme
        self.sort = sort
        self.sortReversed = sortReversed
        self.interval = interval
        self.columns = columns
        self.keepClosed = keepClosed
        self.shareMode = shareMode
    }

    /// `other`'s values where it has them, ours elsewhere (flags over the file).
    public func overridden(by other: DashboardSettings) -> DashboardSettings {
        DashboardSettings(theme: other.theme ?? theme, sort: other.sort ?? sort, sortReversed: other.sortReversed ?? sortReversed,
                          interval: other.interval ?? interval, columns: other.columns ?? columns,
                          keepClosed: other.keepClosed ?? keepClosed, shareMode: other.shareMode ?? shareMode)
    }
}

extension DashboardState {
    /// What is set now, to save.
    public var settings: DashboardSettings {
        DashboardSettings(theme: themeName, sort: .some(sort), sortReversed: sortReversed, interval: interval,
                          columns: columns, keepClosed: departures.retention, shareMode: shareMode)
    }

    /// Takes saved or given settings; what is not set stays as it is. The theme is the
    /// caller's to pick (it knows the catalog).
    public mutating func apply(_ s: DashboardSettings) {
        if let sort = s.sort { self.sort = sort }
        if let reversed = s.sortReversed { sortReversed = reversed }
        if let i = s.interval { interval = max(0.1, i) }
        if let c = s.columns { columns = ListColumn.normalized(c) }
        if let k = s.keepClosed { departures.retention = k }
        if let m = s.shareMode { shareMode = m }
        rebuildRows()
    }
}
