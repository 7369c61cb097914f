import MPTCPKit

/// Feeding the kernel's side of the story into the view: events, counters, diagnosis.
extension DashboardState {
    /// Takes a batch of path-manager events: into the log, and into the departures so a subflow
    /// that closes is shown with the reason the kernel gave.
    public mutating func note(_ batch: PathManagerEventBatch) {
        eventLog.append(batch)
        for e in batch.events { departures.note(e) }
        if followEvents { pageScroll = Int.max }
        rebuildRows()
    }

    /// Whether events in `batch` change what the list shows (so a sample is worth taking now).
    public static func changesConnections(_ batch: PathManagerEventBatch) -> Bool {
        batch.overrun || batch.events.contains {
            switch $0.kind {
            case .created, .established, .closed, .subflowEstablished, .subflowClosed, .subflowPriority: return true
            default: return false
            }
        }
    }

    public mutating func setCounters(_ changes: [MPTCPCounterChange]) { counters = changes }

    /// Seconds closed rows stay (`--keep-closed`).
    public mutating func setRetention(_ seconds: Double) { departures.retention = seconds }

    /// The events the log shows: all, or those matching the filter.
    public var visibleEvents: [PathManagerEvent] {
        filter.isEmpty ? eventLog.events : eventLog.filtered(filter.lowercased())
    }

    /// The counters the counters screen shows: changed or non-zero ones unless zeros are wanted.
    public var visibleCounters: [MPTCPCounterChange] {
        showZeroCounters ? counters : counters.filter { $0.value != 0 || $0.changed }
    }

    /// Scrolls a page screen (events, counters, diagnosis) by `delta` lines.
    mutating func scrollPage(by delta: Int) {
        let current = pageScroll == Int.max ? max(0, pageLineCount - layout.pageBodyRows) : pageScroll
        pageScroll = max(0, min(max(0, pageLineCount - layout.pageBodyRows), current.addingReportingOverflow(delta).partialValue))
        if screen == .events { followEvents = pageScroll >= pageLineCount - layout.pageBodyRows }
    }

    /// Lines in the current page screen.
    var pageLineCount: Int {
        switch screen {
        case .events: return visibleEvents.count
        case .counters: return CountersLayout.lineCount(visibleCounters)
        case .diagnosis: return diagnosis.map { DiagnosisScreen.lines($0).count } ?? 0
        default: return 0
        }
    }
}
