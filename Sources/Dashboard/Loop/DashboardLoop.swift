import MPTCPKit

/// The one event loop: wait for input (and kernel events) until the next sample is due, apply
/// what came, redraw when something changed. Sampling runs on a fixed schedule, so a slow frame
/// does not push every later sample back; a path-manager event that changes connections brings
/// the next sample forward, so a subflow that opens or closes shows at once.
public final class DashboardLoop {
    public internal(set) var state: DashboardState
    let inputs: DashboardInputs
    private var nextSample: Double = 0
    private var lastSample: Double?
    /// Frames drawn, for the drawing-cost benchmark and tests.
    public private(set) var frames = 0
    /// The confirmation of the planned action the open dialog asks about; `state.dialog` shows it.
    var flow: ActionFlow<PlannedAction>? {
        didSet { state.dialog = flow?.dialog }
    }
    /// The failover test being driven by the samples, if one runs.
    var failoverTest: FailoverTest?
    /// While a failover test runs, samples come this often: its recovery time is only as
    /// precise as the sampling.
    static let failoverInterval = 0.2
    /// Where a replay is in its recording (nil for the live dashboard).
    var cursor: ReplayCursor?

    public init(state: DashboardState, inputs: DashboardInputs) {
        var state = state
        state.themeNames = inputs.themes.map(\.name)
        state.bar = inputs.extras?.bar
        self.state = state
        self.inputs = inputs
    }

    /// Runs until `q`, Ctrl-C or a stop request. Whatever a failover test changed is put back
    /// before it returns, however it ends.
    public func run(maxEvents: Int = .max) {
        inputs.terminal.use(theme)
        state.resize(width: inputs.terminal.width, height: inputs.terminal.height)
        if inputs.replay != nil { startReplay() } else { takeSample() }
        draw()
        var handled = 0
        defer { failoverTest?.stop(reason: "the dashboard closed") }
        while !state.quit && handled < maxEvents {
            let now = inputs.now()
            let wait = cursor != nil ? replayWait(now) : state.paused && failoverTest == nil ? 60 : max(0, nextSample - now)
            let event = inputs.terminal.nextEvent(timeout: wait, watching: inputs.events?.fd)
            handled += 1
            var changed = false
            switch event {
            case .key(let key)?:
                handle(key)
                changed = true
            case .resize(let w, let h)?:
                state.resize(width: w, height: h)
                changed = true
            case .kernelEvents?:
                if let feed = inputs.events {
                    let batch = feed.drain(limit: 4096)
                    state.note(batch)
                    inputs.recorder?.note(batch)
                    // Events are hints: the dump is the truth, so take it now.
                    if DashboardState.changesConnections(batch) && !state.paused { nextSample = inputs.now() }
                    changed = !batch.events.isEmpty || batch.overrun
                }
            case .stop?:
                return
            case nil:
                break
            }
            if cursor != nil {
                if advanceReplay(inputs.now()) { changed = true }
            } else if (!state.paused || failoverTest != nil) && inputs.now() >= nextSample {
                takeSample()
                changed = true
            }
            if changed && !state.quit { draw() }
        }
    }

    public var theme: Theme {
        let i = state.themeIndex
        return i < inputs.themes.count ? inputs.themes[i] : inputs.themes[0]
    }

    /// The state handles the key; the loop carries out what it asks for.
    private func handle(_ key: Key) {
        for effect in state.handle(key) { perform(effect) }
    }

    private func perform(_ effect: DashboardEffect) {
        switch effect {
        case .startAction(let request):
            if inputs.actions == nil {
                state.message = "no actions in this view"
            } else {
                startAction(request)
            }
        case .answerDialog(let answer): answerDialog(answer)
        case .runExtra(let c): state.message = inputs.extras?.perform(c)
        case .loadDiagnosis:
            if let cursor {
                state.diagnosis = cursor.diagnosis(namespace: state.header.namespace, snapshot: state.snapshot, events: state.eventLog.events)
            } else {
                state.diagnosis = inputs.diagnose?(state.snapshot, state.eventLog.events)
            }
        case .applyTheme: inputs.terminal.use(theme)
        case .reschedule: if let last = lastSample { nextSample = last + state.interval }
        case .sampleNow: nextSample = inputs.now()
        case .saveSettings: if let problem = inputs.saveSettings?(state.settings) { state.message = problem }
        case .stopFailover(let reason):
            guard let test = failoverTest, !test.isFinished else { return }
            let before = test.phase
            test.stop(reason: reason)
            markPhase(test, from: before)
            finishFailover(test)
        case .saveFailoverReport:
            if let test = failoverTest { state.failover?.savedTo = save(test.report.json) }
        case .toggleRecording:
            guard let recorder = inputs.recorder else {
                state.message = cursor != nil ? "this is a replay: it is a recording already" : "recording is not available here"
                return
            }
            state.message = recorder.isRecording ? recorder.stop() : recorder.start(interval: state.interval)
            state.recording = recorder.status
        case .seek(let target): seek(target)
        }
    }

    func takeSample() {
        let now = inputs.now()
        do {
            let snapshot = try inputs.sample()
            state.apply(snapshot)
            if let read = inputs.counters { state.setCounters(try read()) }
            if let test = failoverTest { observe(test, snapshot) }
            if let recorder = inputs.recorder, recorder.isRecording {
                if let problem = recorder.record(snapshot, counters: state.counters) { state.message = problem }
                state.recording = recorder.status
            }
        } catch {
            // The screen stays up: a failed sample (e.g. the namespace went away) is news, not a crash.
            state.message = "sampling failed: \(error)"
        }
        lastSample = now
        let interval = failoverTest == nil ? state.interval : min(state.interval, Self.failoverInterval)
        // The first sample has no rates yet, so the second comes after half an interval.
        nextSample = max(nextSample + interval, now + interval / 2)
    }

    func draw() {
        state.bar = inputs.extras?.bar
        inputs.terminal.draw(DashboardRenderer.render(state, theme: theme))
        frames += 1
    }
}
