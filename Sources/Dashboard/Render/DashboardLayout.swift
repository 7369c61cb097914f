/// Where each part of the screen goes for a terminal size. A pure function of the size and the
/// number of interfaces, shared by the renderer and by the key handling (paging, clicks).
public struct DashboardLayout: Equatable, Sendable {
    public static let minimumWidth = 60
    public static let minimumHeight = 12

    public let width: Int
    public let height: Int
    /// Rows 0 and 1.
    public let headerRows = 0..<2
    public let interfaceTitle: Int
    public let interfaceRows: Range<Int>
    public let connectionTitle: Int
    public let columnHeader: Int
    /// Rows the connection list (or the detail view) draws its lines into.
    public let listRows: Range<Int>
    public let footer: Int
    /// The extra bar's row (just above the footer), when there is one.
    public let bar: Int?

    public var tooSmall: Bool { width < Self.minimumWidth || height < Self.minimumHeight }

    public init(width: Int, height: Int, interfaceCount: Int, bar: Bool = false) {
        self.width = width
        self.height = height
        interfaceTitle = 2
        // One row per interface, but the list keeps at least half of what is left.
        let room = max(1, (height - 8) / 2)
        let shown = min(max(1, interfaceCount), room)
        interfaceRows = 3..<(3 + shown)
        connectionTitle = interfaceRows.upperBound
        columnHeader = connectionTitle + 1
        footer = max(columnHeader + 1, height - 1)
        self.bar = bar ? max(columnHeader + 1, footer - 1) : nil
        let listEnd = self.bar ?? footer
        listRows = (columnHeader + 1)..<max(columnHeader + 1, listEnd)
    }

    /// Rows for the body of a full-height screen (events, counters, diagnosis): below its title
    /// and column header, above the bar and footer.
    public var pageBodyRows: Int { max(1, (bar ?? footer) - (interfaceTitle + 2)) }

    /// Rows a page of the list moves.
    public var pageSize: Int { max(1, listRows.count - 1) }
}
