/// What a key asks the dashboard to do. Keys map to actions in one table (`KeyMap.table`), so the
/// help overlay, the footer, the README's key table and the handling can never disagree.
public enum DashboardAction: Hashable, Sendable {
    case moveUp, moveDown, pageUp, pageDown, home, end
    /// Space: expand or collapse the selected connection.
    case toggleExpand
    /// Enter: expand; on an expanded connection, open its detail view.
    case activate
    case switchPane
    case nextSortColumn, previousSortColumn, reverseSort
    case startFilter
    case togglePause
    case faster, slower
    case nextTheme
    /// Share bars: the last few seconds or since start.
    case toggleShareMode
    case toggleHelp
    /// Esc: close an overlay or the detail view, clear the filter.
    case back
    case quit
    /// Screens of the kernel's side: event log, counters, diagnosis (the loop fills it in).
    case showEvents, showCounters, showDiagnosis
    /// Counters screen: show or hide counters that are zero.
    case toggleZeroCounters
    /// Acting on the selected row: planned and confirmed through an `ActionFlow`, carried out
    /// by the loop, which owns the action executor.
    case closeSubflow, toggleBackup, failover
    case click(x: Int, y: Int)

    /// While the filter line is open: keep it, clear it, delete the last character.
    case keepFilter, clearFilter, deleteFilterCharacter
    /// The help overlay: any key closes it.
    case closeHelp
    /// The column chooser: open it; show or hide a column; move it earlier or later; close it.
    case chooseColumns, toggleColumn, columnEarlier, columnLater, closeColumnChooser
    /// A confirmation dialog's answers.
    case confirm, cancel, nextMode
    /// The failover panel: stop the running test (and, with q, quit); close the report or save it.
    case stopFailover, stopFailoverAndQuit, closeFailoverPanel, saveFailoverReport
    /// `R`: start or stop recording to a file.
    case toggleRecording
    /// A replay: pause or play, one sample on, seek 10 s back or forward, to the start or the end, speed.
    case togglePlayback, stepSample, seekBack, seekForward, seekStart, seekEnd, playFaster, playSlower
}
