import MPTCPKit

/// Replaying a recording through the same loop: instead of the sampling schedule, the recorded
/// samples come when the playback position (recorded time, moving at the playback's speed)
/// reaches them. A seek forgets what the view took in and replays the recording quietly from a
/// keyframe before the target, so graphs, rates, closed rows and the event log are what they
/// were at that moment.
extension DashboardLoop {
    /// Opens the recording at `state.playback`'s position (its start, or where --from asked).
    func startReplay() {
        guard let source = inputs.replay, let playback = state.playback else { return }
        do {
            cursor = try ReplayCursor(source)
            if playback.position > playback.start {
                rebuild(at: playback.position)
            } else if let first = try cursor?.take() {
                show(first)
            }
        } catch {
            state.message = "replay stopped: \(error)"
        }
        cursor?.lastTick = inputs.now()
    }

    /// Seconds until the next recorded sample is due; a minute (any key wakes the loop) when
    /// paused or at the end.
    func replayWait(_ now: Double) -> Double {
        guard let p = state.playback, !p.paused, let next = cursor?.pending else { return 60 }
        let elapsed = now - (cursor?.lastTick ?? now)
        return max(0, (next.snapshot.time - p.position) / p.speed - elapsed)
    }

    /// Moves the position on by the time that passed and shows every sample it reached.
    /// Returns whether anything changed on screen.
    func advanceReplay(_ now: Double) -> Bool {
        guard let cursor, var p = state.playback else { return false }
        let elapsed = now - (cursor.lastTick ?? now)
        cursor.lastTick = now
        guard !p.paused else { return false }
        p.position = min(p.end, p.position + elapsed * p.speed)
        var changed = false
        do {
            while let next = cursor.pending, next.snapshot.time <= p.position, let s = try cursor.take() {
                show(s)
                changed = true
            }
        } catch {
            p.paused = true
            state.message = "replay stopped: \(error)"
            changed = true
        }
        if cursor.pending == nil && !p.paused {
            p.paused = true
            p.position = p.end
            state.message = "end of the recording ({ goes back to the start)"
            changed = true
        }
        state.playback = p
        return changed
    }

    /// The replay keys that move in the recording.
    func seek(_ target: ReplaySeek) {
        guard let cursor, var p = state.playback else { return }
        let here = state.snapshot?.time ?? p.position
        switch target {
        case .step:
            p.paused = true
            state.playback = p
            do {
                if let s = try cursor.take() {
                    show(s)
                    state.playback?.position = s.snapshot.time
                } else {
                    state.message = "end of the recording"
                }
            } catch {
                state.message = "replay stopped: \(error)"
            }
            return
        case .by(let seconds): rebuild(at: min(p.end, max(p.start, here + seconds)))
        case .start: rebuild(at: p.start)
        case .end: rebuild(at: p.end)
        }
        if let shown = state.playback { state.message = "at \(shown.progressText)" }
        if cursor.pending == nil { state.playback?.paused = true }
        cursor.lastTick = inputs.now()
    }

    /// Forgets what the view took in and replays quietly up to `time`.
    private func rebuild(at time: Double) {
        guard let cursor else { return }
        state.forgetSamples()
        do {
            try cursor.rewind(to: time) { show($0) }
        } catch {
            state.message = "replay stopped: \(error)"
        }
        state.playback?.position = time
    }

    /// One recorded sample into the view, as the live loop takes one in: the events that came
    /// before it, then the sample, then the counters read with it.
    private func show(_ s: RecordedSample) {
        if !s.events.events.isEmpty || s.events.overrun { state.note(s.events) }
        state.apply(s.snapshot)
        if let changes = s.counterChanges { state.setCounters(changes) }
    }
}
