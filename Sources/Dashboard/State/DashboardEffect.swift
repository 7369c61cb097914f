/// What handling a key asks of the world outside the view model. `DashboardState.handle` changes
/// the view and returns these; the loop only carries them out (htop's reactions), so the loop
/// never has to guess from before/after comparisons what a key did.
public enum DashboardEffect: Equatable, Sendable {
    /// Plan an action on the selection (it opens a confirmation dialog; nothing changes yet).
    case startAction(ActionRequest)
    /// An answer to the open confirmation dialog, for its `ActionFlow`.
    case answerDialog(DialogAnswer)
    /// A key the command added (the demo's keys).
    case runExtra(Unicode.Scalar)
    /// The diagnosis screen opened: run the diagnosis on the current sample.
    case loadDiagnosis
    /// The theme changed: give the terminal its colours.
    case applyTheme
    /// The refresh interval changed: schedule the next sample by it.
    case reschedule
    /// Sampling resumed: take a sample now.
    case sampleNow
    /// A setting the person expects to find again changed (sort, interval, theme, columns,
    /// share mode): save the settings.
    case saveSettings
    /// Stop the running failover test (it restores what it changed).
    case stopFailover(reason: String)
    /// Save the finished failover test's report.
    case saveFailoverReport
    /// Start recording to a file, or stop the recording running.
    case toggleRecording
    /// A replay: move in the recording (the loop rebuilds the view from the samples up to there).
    case seek(ReplaySeek)
}

/// The action keys: what they ask for on the selected row.
public enum ActionRequest: Equatable, Sendable {
    case closeSubflow, toggleBackup, failover
}

/// A confirmation dialog's answers.
public enum DialogAnswer: Equatable, Sendable {
    case confirm, cancel, nextMode
}

extension DialogAnswer {
    /// A dialog's answers; nil for every other action.
    init?(_ action: DashboardAction) {
        switch action {
        case .confirm: self = .confirm
        case .cancel: self = .cancel
        case .nextMode: self = .nextMode
        default: return nil
        }
    }
}

extension ActionRequest {
    /// The action keys' requests; nil for every other action.
    init?(_ action: DashboardAction) {
        switch action {
        case .closeSubflow: self = .closeSubflow
        case .toggleBackup: self = .toggleBackup
        case .failover: self = .failover
        default: return nil
        }
    }
}
