import MPTCPKit

/// The one event loop: wait for input until the next sample is due, apply what came, redraw
/// when something changed. Sampling runs on a fixed schedule, so a slow frame does not push
/// every later sample back.
public final class DashboardLoop {
    public private(set) var state: DashboardState
    private let inputs: DashboardInputs
    private var nextSample: Double = 0
    private var lastSample: Double?
    /// Frames drawn, for the drawing-cost benchmark and tests.
    public private(set) var frames = 0

    public init(state: DashboardState, inputs: DashboardInputs) {
        var state = state
        state.themeNames = inputs.themes.map(\.name)
        state.bar = inputs.extras?.bar
        self.state = state
        self.inputs = inputs
    }

    /// Runs until `q`, Ctrl-C or a stop request. `maxEvents` bounds a test run.
    public func run(maxEvents: Int = .max) {
        inputs.terminal.use(theme)
        state.resize(width: inputs.terminal.width, height: inputs.terminal.height)
        takeSample()
        draw()
        var handled = 0
        while !state.quit && handled < maxEvents {
            let now = inputs.now()
            let wait = state.paused ? 60 : max(0, nextSample - now)
            let event = inputs.terminal.nextEvent(timeout: wait)
            handled += 1
            var changed = false
            switch event {
            case .key(.character(let c))? where state.acceptsCommandKeys && extraKeys.contains(c):
                state.message = inputs.extras?.perform(c)
                changed = true
            case .key(let key)?:
                let before = (state.themeIndex, state.interval, state.paused)
                state.handle(key)
                if state.themeIndex != before.0 { inputs.terminal.use(theme) }
                if state.interval != before.1, let last = lastSample { nextSample = last + state.interval }
                if before.2 && !state.paused { nextSample = inputs.now() }
                changed = true
            case .resize(let w, let h)?:
                state.resize(width: w, height: h)
                changed = true
            case .stop?:
                return
            case nil:
                break
            }
            if !state.paused && inputs.now() >= nextSample {
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

    private func takeSample() {
        let now = inputs.now()
        do {
            state.apply(try inputs.sample())
        } catch {
            // The screen stays up: a failed sample (e.g. the namespace went away) is news, not a crash.
            state.message = "sampling failed: \(error)"
        }
        lastSample = now
        // The first sample has no rates yet, so the second comes after half an interval.
        nextSample = max(nextSample + state.interval, now + state.interval / 2)
    }

    private var extraKeys: Set<Unicode.Scalar> { Set(inputs.extras?.items().map(\.key) ?? []) }

    private func draw() {
        state.bar = inputs.extras?.bar
        inputs.terminal.draw(DashboardRenderer.render(state, theme: theme))
        frames += 1
    }
}
