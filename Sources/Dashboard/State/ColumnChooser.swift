/// The column chooser (`o`): every column of the list with a check mark, in the list's order,
/// the hidden ones last. Space shows or hides the one under the cursor, [ and ] move it.
public struct ColumnChooser: Sendable, Equatable {
    public private(set) var entries: [(column: ListColumn, shown: Bool)]
    public private(set) var cursor = 0

    init(shown: [ListColumn]) {
        entries = shown.map { ($0, true) } + ListColumn.allCases.filter { !shown.contains($0) }.map { ($0, false) }
    }

    /// The columns to show, in order.
    var columns: [ListColumn] { entries.filter(\.shown).map(\.column) }

    mutating func move(by delta: Int) {
        cursor = max(0, min(entries.count - 1, cursor + delta))
    }

    /// Shows or hides the column under the cursor (the token column always stays).
    mutating func toggle() -> Bool {
        guard entries[cursor].column != .id else { return false }
        entries[cursor].shown.toggle()
        return true
    }

    /// Moves the column under the cursor one place earlier (-1) or later (+1); the token column
    /// stays first.
    mutating func shift(by delta: Int) -> Bool {
        let target = cursor + delta
        guard entries[cursor].column != .id, target >= 1, target < entries.count else { return false }
        entries.swapAt(cursor, target)
        cursor = target
        return true
    }

    public static func == (a: ColumnChooser, b: ColumnChooser) -> Bool {
        a.cursor == b.cursor && a.entries.map(\.column) == b.entries.map(\.column) && a.entries.map(\.shown) == b.entries.map(\.shown)
    }
}
