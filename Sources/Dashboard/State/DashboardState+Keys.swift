/// Keys and actions: everything a person can do to the view.
extension DashboardState {
    /// Handles one key: the filter line takes typing while it is open, the help overlay closes on
    /// any key, everything else goes through the key table.
    public mutating func handle(_ key: Key) {
        message = nil
        if editingFilter {
            editFilter(key)
            return
        }
        if showHelp {
            if KeyMap.action(for: key) == .quit { quit = true }
            showHelp = false
            return
        }
        if let action = KeyMap.action(for: key) { perform(action) }
    }

    public mutating func perform(_ action: DashboardAction) {
        switch action {
        case .moveUp: move(by: -1)
        case .moveDown: move(by: 1)
        case .pageUp: move(by: -layout.pageSize)
        case .pageDown: move(by: layout.pageSize)
        case .home: move(by: -Int.max / 2)
        case .end: move(by: Int.max / 2)
        case .toggleExpand: toggleExpand()
        case .activate: activate()
        case .switchPane:
            if screen == .list { pane = pane == .connections ? .interfaces : .connections }
        case .nextSortColumn: stepSort(1)
        case .previousSortColumn: stepSort(-1)
        case .reverseSort:
            sortReversed.toggle()
            rebuildRows()
        case .startFilter:
            // The event log filters its events; everywhere else the filter is the list's.
            if screen != .events { screen = .list }
            pane = .connections
            editingFilter = true
        case .togglePause: paused.toggle()
        case .faster: stepInterval(-1)
        case .slower: stepInterval(1)
        case .nextTheme:
            if !themeNames.isEmpty { themeIndex = (themeIndex + 1) % themeNames.count }
            message = "theme: \(themeName)"
        case .toggleHelp: showHelp.toggle()
        case .back: back()
        case .quit: quit = true
        case .click(let x, let y): click(x: x, y: y)
        case .showEvents: open(.events)
        case .showCounters: open(.counters)
        case .showDiagnosis: open(.diagnosis)
        case .toggleZeroCounters:
            if screen == .counters { showZeroCounters.toggle() }
        case .closeSubflow, .toggleBackup, .failover:
            // The loop owns the executor and handles these before they get here; without one
            // (tests, read-only builds) they only explain themselves.
            message = header.canAct ? "no actions in this view" : "read-only: \(header.readOnlyReason ?? "actions are off")"
        }
    }

    /// Opens a full-height screen, or goes back to the list when it is already open.
    private mutating func open(_ target: Screen) {
        if screen == target {
            screen = .list
            return
        }
        screen = target
        pageScroll = target == .events ? Int.max : 0
        followEvents = true
    }

    private mutating func move(by delta: Int) {
        switch screen {
        case .events, .counters, .diagnosis:
            scrollPage(by: delta)
            return
        default: break
        }
        if pane == .interfaces, screen == .list {
            let names = snapshot?.interfaces.map(\.name) ?? []
            guard !names.isEmpty else { return }
            let i = selectedInterface.flatMap { names.firstIndex(of: $0) } ?? 0
            selectedInterface = names[max(0, min(names.count - 1, i.addingReportingOverflow(delta).partialValue))]
            return
        }
        guard !rows.isEmpty else { return }
        let i = selectionIndex ?? 0
        let target = delta > 0 ? min(rows.count - 1, i + min(delta, rows.count)) : max(0, i - min(-delta, rows.count))
        select(rows[target].id)
    }

    mutating func select(_ id: RowID) {
        selection = id
        clampScroll()
    }

    private var selectedConnectionCookie: UInt64? {
        switch selection {
        case .connection(let c)?, .subflow(let c, _)?: return c
        case nil: return nil
        }
    }

    private mutating func toggleExpand() {
        guard pane == .connections, screen == .list, let cookie = selectedConnectionCookie else { return }
        if expanded.contains(cookie) {
            expanded.remove(cookie)
            selection = .connection(cookie)
        } else {
            expanded.insert(cookie)
        }
        rebuildRows()
    }

    private mutating func activate() {
        if pane == .interfaces, screen == .list {
            // Enter on an interface shows the connections that use it.
            if let name = selectedInterface {
                filter = name
                pane = .connections
                rebuildRows()
            }
            return
        }
        guard screen == .list, let cookie = selectedConnectionCookie else { return }
        if expanded.contains(cookie) {
            screen = .detail(connection: cookie)
        } else {
            expanded.insert(cookie)
            rebuildRows()
        }
    }

    private mutating func stepSort(_ step: Int) {
        let all: [SortColumn?] = [nil] + SortColumn.allCases
        let i = all.firstIndex(of: sort) ?? 0
        sort = all[(i + step + all.count) % all.count]
        sortReversed = false
        message = "sort: \(sort?.label ?? "first seen")"
        rebuildRows()
    }

    private mutating func stepInterval(_ step: Int) {
        let steps = Self.intervals
        let i = steps.firstIndex { $0 >= interval } ?? steps.count - 1
        interval = steps[max(0, min(steps.count - 1, i + step))]
        message = "refresh every \(IntervalText.format(interval))"
    }

    private mutating func back() {
        if screen == .events && !filter.isEmpty {
            filter = ""
            rebuildRows()
        } else if screen != .list {
            screen = .list
        } else if !filter.isEmpty {
            filter = ""
            rebuildRows()
        } else if pane == .interfaces {
            pane = .connections
        }
    }

    private mutating func editFilter(_ key: Key) {
        switch key {
        case .character(let c) where c.value >= 0x20 && c.value != 0x7f:
            filter.unicodeScalars.append(c)
        case .backspace:
            if !filter.isEmpty { filter.removeLast() }
        case .enter:
            editingFilter = false
        case .escape:
            filter = ""
            editingFilter = false
        case .interrupt:
            quit = true
        default:
            return
        }
        rebuildRows()
    }

    private mutating func click(x: Int, y: Int) {
        let l = layout
        guard screen == .list, !showHelp else { return }
        if l.interfaceRows.contains(y), let interfaces = snapshot?.interfaces {
            let i = y - l.interfaceRows.lowerBound
            if i < interfaces.count {
                pane = .interfaces
                selectedInterface = interfaces[i].name
            }
        } else if l.listRows.contains(y) {
            let i = scroll + (y - l.listRows.lowerBound)
            guard i < rows.count else { return }
            pane = .connections
            if rows[i].id == selection, case .connection = rows[i].kind {
                toggleExpand()
            } else {
                select(rows[i].id)
            }
        }
    }
}

/// "250 ms", "1 s", "2.5 s": refresh intervals as the header and messages show them.
public enum IntervalText {
    public static func format(_ seconds: Double) -> String {
        if seconds < 1 { return "\(Int((seconds * 1000).rounded())) ms" }
        if seconds == seconds.rounded() { return "\(Int(seconds)) s" }
        return "\(seconds) s"
    }
}
