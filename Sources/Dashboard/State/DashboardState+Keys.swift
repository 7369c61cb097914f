/// Keys and actions: everything a person can do to the view.
extension DashboardState {
    /// The mode whose bindings a plain key goes to while browsing.
    public var browsingMode: KeyMode {
        switch screen {
        case .list: return .list
        case .detail: return .detail
        case .events, .counters, .diagnosis: return .page
        }
    }

    /// Handles one key through the key table of the mode that has the keyboard, and returns what
    /// the loop has to do outside the view model. In order: an open dialog takes every key; the
    /// failover panel takes its own keys and lets the others through; the command's extra keys
    /// and the action keys go to the loop; then the filter line, the help overlay or the view.
    @discardableResult
    public mutating func handle(_ key: Key) -> [DashboardEffect] {
        if dialog != nil {
            return KeyMap.action(for: key, in: .dialog).flatMap(DialogAnswer.init).map { [.answerDialog($0)] } ?? []
        }
        var effects: [DashboardEffect] = []
        if let panel = failover {
            switch KeyMap.action(for: key, in: panel.isFinished ? .failoverReport : .failoverRunning) {
            case .stopFailover?: return [.stopFailover(reason: "stopped from the dashboard")]
            case .stopFailoverAndQuit?: effects.append(.stopFailover(reason: "the dashboard was closed"))  // then quit, below
            case .closeFailoverPanel?:
                failover = nil
                return []
            case .saveFailoverReport?: return [.saveFailoverReport]
            default: break
            }
        }
        if acceptsCommandKeys {
            if case .character(let c) = key, bar?.items.contains(where: { $0.key == c }) == true {
                return effects + [.runExtra(c)]
            }
            if header.canAct, let request = KeyMap.action(for: key, in: browsingMode).flatMap(ActionRequest.init) {
                return effects + [.startAction(request)]
            }
            if playback != nil, let action = KeyMap.action(for: key, in: .replay) {
                message = nil
                return effects + perform(action)
            }
        }
        message = nil
        if editingFilter {
            editFilter(key)
            return effects
        }
        if showHelp {
            if KeyMap.action(for: key, in: .help) == .quit { quit = true }
            showHelp = false
            return effects
        }
        if columnChooser != nil {
            return effects + (KeyMap.action(for: key, in: .columns).map { perform($0) } ?? [])
        }
        guard let action = KeyMap.action(for: key, in: browsingMode) else { return effects }
        return effects + perform(action)
    }

    @discardableResult
    public mutating func perform(_ action: DashboardAction) -> [DashboardEffect] {
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
        case .nextSortColumn:
            stepSort(1)
            return [.saveSettings]
        case .previousSortColumn:
            stepSort(-1)
            return [.saveSettings]
        case .reverseSort:
            sortReversed.toggle()
            rebuildRows()
            return [.saveSettings]
        case .startFilter:
            // The event log filters its events; everywhere else the filter is the list's.
            if screen != .events { screen = .list }
            pane = .connections
            editingFilter = true
        case .togglePause:
            paused.toggle()
            if !paused { return [.sampleNow] }
        case .faster, .slower:
            let before = interval
            stepInterval(action == .faster ? -1 : 1)
            if interval != before { return [.reschedule, .saveSettings] }
        case .nextTheme:
            let before = themeIndex
            if !themeNames.isEmpty { themeIndex = (themeIndex + 1) % themeNames.count }
            message = "theme: \(themeName)"
            if themeIndex != before { return [.applyTheme, .saveSettings] }
        case .toggleShareMode:
            shareMode = shareMode.other
            message = "share: \(shareMode.label)"
            return [.saveSettings]
        case .chooseColumns:
            columnChooser = ColumnChooser(shown: columns)
        case .toggleColumn, .columnEarlier, .columnLater:
            guard var chooser = columnChooser else { break }
            let changed = action == .toggleColumn ? chooser.toggle() : chooser.shift(by: action == .columnEarlier ? -1 : 1)
            columnChooser = chooser
            if changed { columns = chooser.columns }
        case .closeColumnChooser:
            columnChooser = nil
            return [.saveSettings]
        case .toggleHelp: showHelp.toggle()
        case .back: back()
        case .quit: quit = true
        case .click(let x, let y): click(x: x, y: y)
        case .showEvents: open(.events)
        case .showCounters: open(.counters)
        case .showDiagnosis:
            open(.diagnosis)
            if screen == .diagnosis { return [.loadDiagnosis] }
        case .toggleZeroCounters:
            if screen == .counters { showZeroCounters.toggle() }
        case .closeSubflow, .toggleBackup, .failover:
            // With CAP_NET_ADMIN these become `.startAction` in `handle`; here (read-only, or
            // called directly) they only explain themselves.
            if playback != nil {
                message = "read-only: a replay has nothing live to act on"
            } else {
                message = header.canAct ? "no actions in this view" : "read-only: \(header.readOnlyReason ?? "actions are off")"
            }
        case .keepFilter, .clearFilter, .deleteFilterCharacter:
            editFilter(action)
            rebuildRows()
        case .closeHelp:
            showHelp = false
        case .confirm, .cancel, .nextMode, .stopFailover, .stopFailoverAndQuit, .closeFailoverPanel, .saveFailoverReport:
            break  // answered by `handle` in the dialog and failover-panel modes
        case .toggleRecording:
            return [.toggleRecording]
        case .togglePlayback, .stepSample, .seekBack, .seekForward, .seekStart, .seekEnd, .playFaster, .playSlower:
            return replay(action)
        }
        return []
    }

    /// The replay keys: pausing and speed change the playback here; moving in the recording is
    /// the loop's (it has the recording).
    private mutating func replay(_ action: DashboardAction) -> [DashboardEffect] {
        guard var p = playback else { return [] }
        defer { playback = p }
        switch action {
        case .togglePlayback:
            p.paused.toggle()
            message = p.paused ? "paused" : "playing at \(p.speedText)"
        case .playFaster, .playSlower:
            p.changeSpeed(by: action == .playFaster ? 1 : -1)
            message = "playing at \(p.speedText)"
        case .stepSample: return [.seek(.step)]
        case .seekBack: return [.seek(.by(-Playback.seekStep))]
        case .seekForward: return [.seek(.by(Playback.seekStep))]
        case .seekStart: return [.seek(.start)]
        case .seekEnd: return [.seek(.end)]
        default: break
        }
        return []
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
        if var chooser = columnChooser {
            chooser.move(by: delta)
            columnChooser = chooser
            return
        }
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

    /// Typing the filter: printable characters are text (so `q` is a letter here); the rest
    /// goes through the filter mode's bindings.
    private mutating func editFilter(_ key: Key) {
        if case .character(let c) = key, c.value >= 0x20 && c.value != 0x7f {
            filter.unicodeScalars.append(c)
            rebuildRows()
            return
        }
        switch KeyMap.action(for: key, in: .filter) {
        case .quit?: quit = true
        case let action?: editFilter(action)
        case nil: return
        }
        rebuildRows()
    }

    private mutating func editFilter(_ action: DashboardAction) {
        switch action {
        case .deleteFilterCharacter:
            if !filter.isEmpty { filter.removeLast() }
        case .keepFilter:
            editingFilter = false
        case .clearFilter:
            filter = ""
            editingFilter = false
        default:
            break
        }
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
