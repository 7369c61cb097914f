import MPTCPKit

/// Everything the dashboard loop takes from the outside world, injected so a test can run the
/// whole loop with a scripted terminal, recorded snapshots and a fake clock (docs/architecture.md, "The dashboard").
public struct DashboardInputs {
    public var terminal: TerminalIO
    /// Takes one sample of the watched namespace (with rates against the previous one).
    public var sample: () throws -> Snapshot
    /// Monotonic seconds.
    public var now: () -> Double
    /// The themes `t` cycles through, the first one in use at start.
    public var themes: [Theme]
    /// Extra keys and a bar (the demo's); nil for the plain dashboard.
    public var extras: DashboardExtras?
    /// Path-manager events (nil without CAP_NET_ADMIN: the dashboard then only polls).
    public var events: EventFeed?
    /// Reads the namespace's MPTCP counters with deltas against the previous call.
    public var counters: (() throws -> [MPTCPCounterChange])?
    /// Runs `mptop diagnose` on the current sample and recent events (on the `d` key).
    public var diagnose: ((Snapshot?, [PathManagerEvent]) -> Diagnosis)?
    /// Closes subflows, toggles backup, runs failover tests (nil: read-only).
    public var actions: ActionPort?
    /// Saves the settings a person changed (sort, interval, theme, columns, share mode);
    /// returns why it could not, for the footer. Nil: settings are not kept.
    public var saveSettings: ((DashboardSettings) -> String?)?
    /// A recording to show instead of the kernel (`mptop replay`): samples come from it at the
    /// recorded pace, `sample` is not called, and the state's `playback` says where it is.
    public var replay: ReplaySource?
    /// Records what the dashboard shows on the `R` key; nil where there is nothing live to record.
    public var recorder: DashboardRecorder?

    public init(terminal: TerminalIO, sample: @escaping () throws -> Snapshot, now: @escaping () -> Double, themes: [Theme],
                extras: DashboardExtras? = nil) {
        self.terminal = terminal
        self.sample = sample
        self.now = now
        self.themes = themes.isEmpty ? [.basic] : themes
        self.extras = extras
    }
}
