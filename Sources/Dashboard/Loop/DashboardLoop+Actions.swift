import MPTCPKit
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// The action keys: x closes a subflow, b toggles backup, f runs a failover test. Each is
/// planned first (nothing changes), confirmed in a dialog that names exactly what it touches,
/// and only then executed.
extension DashboardLoop {
    func startAction(_ key: ActionRequest) {
        guard let port = inputs.actions, let snapshot = state.snapshot else { return }
        switch state.action(for: key, namespace: port.namespace) {
        case .action(let action): plan(action, port: port, snapshot: snapshot)
        case .refused(let why): state.message = why
        }
    }

    private func plan(_ action: MPTCPAction, port: ActionPort, snapshot: Snapshot) {
        do {
            flow = ActionFlow(try port.plan(action, snapshot: snapshot))
        } catch {
            state.message = "\(error)"
        }
    }

    /// Carries out what the dialog's flow makes of an answer.
    func answerDialog(_ answer: DialogAnswer) {
        guard var current = flow else {
            state.dialog = nil
            return
        }
        switch current.answer(answer) {
        case .asking:
            flow = current
        case .execute(let planned, let confirmedTwice):
            flow = nil
            execute(planned, confirmedTwice: confirmedTwice)
        case .cancelled:
            flow = nil
            state.message = "cancelled: nothing was changed"
        case .nextMode:
            guard case .failover(var config) = current.plan.action, let port = inputs.actions, let snapshot = state.snapshot else { return }
            // The next mode that can run here (e.g. `close` cannot take a connection's only path).
            let modes = FailoverMode.allCases
            let start = modes.firstIndex(of: config.mode) ?? 0
            var refusals: [String] = []
            for step in 1..<modes.count {
                config.mode = modes[(start + step) % modes.count]
                do {
                    current.replace(try port.plan(.failover(config), snapshot: snapshot))
                    flow = current
                    state.message = refusals.isEmpty ? nil : refusals.joined(separator: "; ")
                    return
                } catch {
                    refusals.append("\(config.mode.rawValue): \(error)")
                }
            }
            state.message = "no other mode can run here (" + refusals.joined(separator: "; ") + ")"
        }
    }

    private func execute(_ planned: PlannedAction, confirmedTwice: Bool) {
        guard let port = inputs.actions else { return }
        do {
            switch try port.execute(planned, confirmedTwice: confirmedTwice) {
            case .done(let line):
                state.message = line
                takeSample()  // show the result now, not at the next tick
            case .failover(let test):
                failoverTest = test
                let who = test.tokens.map { hex($0) }.joined(separator: ", ")
                state.failover = FailoverPanel(title: "Failover test: \(test.config.mode.rawValue) on \(test.config.interface)"
                                                   + " for \(Units.fixed(test.config.duration, decimals: 0)) s, connection \(who)",
                                               phase: .starting)
                takeSample()
            }
        } catch {
            state.message = "\(error)"
        }
    }

    func observe(_ test: FailoverTest, _ snapshot: Snapshot) {
        let before = test.phase
        _ = test.observe(snapshot)
        markPhase(test, from: before)
        guard var panel = state.failover else { return }
        var rates: [String: Double] = [:]
        let under = Set(test.connections)
        for c in snapshot.connections where under.contains(c.id) {
            for s in c.subflows { rates[s.interfaceName ?? "?", default: 0] += (s.txRate ?? 0) + (s.rxRate ?? 0) }
        }
        panel.rates = rates.sorted { $0.key < $1.key }.map { FailoverPanel.Rate(interface: $0.key, bitsPerSecond: $0.value) }
        panel.phase = .test(test.phase)
        panel.events = test.events.map { "\(Units.fixed($0.time, decimals: 1)) s  \($0.text)" }
        state.failover = panel
        if test.isFinished { finishFailover(test) }
    }

    /// The failure and the restore go on the time axis and into the event log.
    func markPhase(_ test: FailoverTest, from before: FailoverTest.Phase) {
        let interface = test.config.interface
        // On the axis of the connection tested, or of every one for a test of the interface.
        let subject: TimelineMark.Subject
        if test.config.target != .everyConnection, let id = test.connections.first {
            subject = .connection(id, token: test.tokens.first)
        } else {
            subject = .everyConnection
        }
        if before < .during && test.phase >= .during {
            state.markFailover(started: true, subject: subject, interface: interface,
                               text: "failover test: \(test.config.mode.rawValue) on \(interface)")
        }
        if before == .during && test.phase > .during {
            state.markFailover(started: false, subject: subject, interface: interface, text: "failover test: \(interface) restored")
        }
    }

    func finishFailover(_ test: FailoverTest) {
        guard var panel = state.failover else { return }
        panel.phase = .test(.finished)
        panel.report = test.report.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        state.failover = panel
    }

    /// Writes the report as JSON into the current directory (or /tmp when that is not
    /// writable) and returns the path, or an error text.
    func save(_ json: String) -> String {
        let name = "mptop-failover-\(Int(inputs.now() * 1000)).json"
        var failure: Int32 = 0
        for dir in [".", "/tmp"] {
            let path = dir + "/" + name
            // A new file only (never through a link someone left at that name in /tmp), 0600,
            // and every byte written, or it does not count as saved.
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            guard fd >= 0 else { failure = errno; continue }
            var bytes = Array((json + "\n").utf8)
            let written = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written != bytes.count { failure = written < 0 ? errno : EIO }
            close(fd)
            if written == bytes.count { return path }
            unlink(path)
        }
        return "(could not save: \(Errno(rawValue: failure).text))"
    }
}
