import MPTCPKit
import Output

/// Feeding the kernel's side of the story into the view: events, counters, diagnosis.
extension DashboardState {
    /// Takes a batch of path-manager events: into the log, and into the departures so a subflow
    /// that closes is shown with the reason the kernel gave.
    public mutating func note(_ batch: PathManagerEventBatch) {
        eventLog.append(batch)
        timeline.note(batch.events)
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

    /// A failover test started or ended: a mark on the time axis and in the event log.
    public mutating func markFailover(started: Bool, subject: TimelineMark.Subject, interface: String, text: String) {
        timeline.append(TimelineMark(time: snapshot?.time ?? 0, kind: started ? .failoverStarted : .failoverEnded,
                                     subject: subject, interface: interface, text: text))
    }

    public mutating func setCounters(_ changes: [MPTCPCounterChange]) { counters = changes }

    /// Seconds closed rows stay (`--keep-closed`).
    public mutating func setRetention(_ seconds: Double) { departures.retention = seconds }

    /// The events the log shows: all, or those matching the filter.
    public var visibleEvents: [PathManagerEvent] {
        filter.isEmpty ? eventLog.events : eventLog.filtered(filter.lowercased())
    }

    /// The event log's lines: the kernel's events and the dashboard's own marks (stalls,
    /// recoveries, failover tests) by time, filtered like the events.
    public var visibleLog: [EventLogEntry] {
        let needle = filter.lowercased()
        let own = timeline.marks.filter { !$0.kind.fromKernel && (needle.isEmpty || EventLogEntry.mark($0).matches(needle)) }
        let kernel = visibleEvents.map(EventLogEntry.kernel)
        guard !own.isEmpty else { return kernel }
        return (kernel + own.map(EventLogEntry.mark)).sorted { $0.time < $1.time }
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
        case .events: return visibleLog.count
        case .counters: return CountersLayout.lineCount(visibleCounters)
        case .diagnosis: return diagnosis.map { DiagnosisScreen.lines($0).count } ?? 0
        default: return 0
        }
    }
}

/// One line of the event log screen.
public enum EventLogEntry: Sendable {
    case kernel(PathManagerEvent)
    case mark(TimelineMark)

    public var time: Double {
        switch self {
        case .kernel(let e): return e.time
        case .mark(let m): return m.time
        }
    }

    /// The columns the screen lays out.
    public var columns: PathManagerEventText.Columns {
        switch self {
        case .kernel(let e): return PathManagerEventText.columns(e)
        case .mark(let m):
            return PathManagerEventText.Columns(time: PathManagerEventText.clockTime(m.time), type: m.kind.logType,
                                                token: tokenText(m.subject.token), addresses: "",
                                                interface: m.interface ?? "-", details: m.text)
        }
    }

    /// Whether a problem: drawn in the warning colour.
    var isTrouble: Bool {
        switch self {
        case .kernel(let e): return e.kind == .subflowClosed || e.kind == .closed
        case .mark(let m): return m.kind == .stalled || m.kind == .failoverStarted
        }
    }

    /// `needle` must be lowercased.
    func matches(_ needle: String) -> Bool {
        switch self {
        case .kernel(let e): return PathManagerEventFilter.matches(e, needle)
        case .mark(let m):
            let c = columns
            return [c.type.lowercased(), c.token, c.interface.lowercased(), m.text.lowercased()].contains { $0.contains(needle) }
        }
    }
}
