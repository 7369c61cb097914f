import MPTCPKit
#if canImport(Glibc)
import Glibc
#endif

/// The action keys: x closes a subflow, b toggles backup, f runs a failover test. Each is
/// planned first (nothing changes), confirmed in a dialog that names exactly what it touches,
/// and only then executed.
extension DashboardLoop {
    /// The failover test's settings when started from the dashboard.
    static let failoverDuration = 5.0

    func startAction(_ key: DashboardAction) {
        guard let port = inputs.actions, let snapshot = state.snapshot else { return }
        let action: MPTCPAction
        switch (key, state.pane) {
        case (.closeSubflow, .connections):
            guard let (c, s) = state.selectedSubflow else {
                state.message = "select a subflow to close (Enter shows a connection's subflows)"
                return
            }
            action = .closeSubflow(token: c.token, local: s.local)
        case (.toggleBackup, .connections):
            guard let (c, s) = state.selectedSubflow else {
                state.message = "select a subflow (or, with Tab, an interface) to change its backup flag"
                return
            }
            action = .toggleSubflowBackup(token: c.token, local: s.local)
        case (.toggleBackup, .interfaces):
            guard let name = state.selectedInterface else { return }
            action = .toggleInterfaceBackup(interface: name)
        case (.failover, .connections):
            guard let c = state.selectedConnection, let busiest = c.interfaceShares.first?.name else {
                state.message = "select a live connection (or, with Tab, an interface) for a failover test"
                return
            }
            action = .failover(FailoverConfig(token: c.token, interface: busiest, mode: .blackhole,
                                              duration: Self.failoverDuration, namespace: port.namespace))
        case (.failover, .interfaces):
            guard let name = state.selectedInterface else { return }
            action = .failover(FailoverConfig(token: nil, interface: name, mode: .blackhole,
                                              duration: Self.failoverDuration, namespace: port.namespace))
        default:
            state.message = "x works on a subflow row"
            return
        }
        plan(action, port: port, snapshot: snapshot)
    }

    private func plan(_ action: MPTCPAction, port: ActionPort, snapshot: Snapshot) {
        do {
            let planned = try port.plan(action, snapshot: snapshot)
            pending = planned
            confirmations = 0
            state.dialog = dialog(for: planned)
        } catch {
            state.message = "\(error)"
        }
    }

    private func dialog(for planned: PlannedAction) -> Dialog {
        switch planned.action {
        case .closeSubflow:
            return Dialog(title: "Close this subflow?", text: planned.description,
                          answers: [.init(key: "y", label: "close it"), .init(key: "n", label: "cancel (Esc)")])
        case .toggleSubflowBackup, .toggleInterfaceBackup:
            return Dialog(title: "Change the backup flag?", text: planned.description,
                          answers: [.init(key: "y", label: "change it"), .init(key: "n", label: "cancel (Esc)")])
        case .failover(let config):
            return Dialog(title: "Run a failover test?", text: planned.description,
                          answers: [.init(key: "y", label: "start"), .init(key: "m", label: "mode: \(config.mode.rawValue)"),
                                    .init(key: "n", label: "cancel (Esc)")])
        }
    }

    func answerDialog(_ key: Key) {
        guard let planned = pending else {
            state.dialog = nil
            return
        }
        switch key {
        case .character("y"), .character("Y"), .enter:
            if let why = planned.secondConfirmation, confirmations == 0 {
                // Closing the last subflow strands the connection: ask again, louder.
                confirmations = 1
                state.dialog = Dialog(title: "Really close the LAST subflow?", text: planned.description, warning: why,
                                      answers: [.init(key: "y", label: "yes, close it anyway"), .init(key: "n", label: "cancel (Esc)")])
                return
            }
            state.dialog = nil
            pending = nil
            execute(planned, confirmedTwice: confirmations > 0)
        case .character("m"):
            guard case .failover(var config) = planned.action, let port = inputs.actions, let snapshot = state.snapshot else { return }
            // The next mode that can run here (e.g. `close` cannot take a connection's only path).
            let modes = FailoverMode.allCases
            let current = modes.firstIndex(of: config.mode) ?? 0
            var refusals: [String] = []
            for step in 1..<modes.count {
                config.mode = modes[(current + step) % modes.count]
                do {
                    let replanned = try port.plan(.failover(config), snapshot: snapshot)
                    pending = replanned
                    state.dialog = dialog(for: replanned)
                    state.message = refusals.isEmpty ? nil : refusals.joined(separator: "; ")
                    return
                } catch {
                    refusals.append("\(config.mode.rawValue): \(error)")
                }
            }
            state.message = "no other mode can run here (" + refusals.joined(separator: "; ") + ")"
        case .character("n"), .character("N"), .escape, .character("q"), .interrupt:
            state.dialog = nil
            pending = nil
            state.message = "cancelled: nothing was changed"
        default:
            break
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
                                               phase: "starting")
                takeSample()
            }
        } catch {
            state.message = "\(error)"
        }
    }

    /// Keys while the failover panel is up. Returns whether the key was used.
    func handleFailoverKey(_ key: Key) -> Bool {
        guard var panel = state.failover else { return false }
        if let test = failoverTest, !test.isFinished {
            switch key {
            case .escape:
                test.stop(reason: "stopped from the dashboard")
                finishFailover(test)
                return true
            case .character("q"), .interrupt:
                test.stop(reason: "the dashboard was closed")
                finishFailover(test)
                state.handle(key)
                return true
            default:
                return false
            }
        }
        switch key {
        case .escape:
            state.failover = nil
            return true
        case .character("w"):
            if let test = failoverTest { panel.savedTo = save(test.report.json) }
            state.failover = panel
            return true
        default:
            return false
        }
    }

    func observe(_ test: FailoverTest, _ snapshot: Snapshot) {
        _ = test.observe(snapshot)
        guard var panel = state.failover else { return }
        var rates: [String: Double] = [:]
        for c in snapshot.connections where test.tokens.contains(c.token) {
            for s in c.subflows { rates[s.interfaceName ?? "?", default: 0] += (s.txRate ?? 0) + (s.rxRate ?? 0) }
        }
        panel.rates = rates.sorted { $0.key < $1.key }.map { FailoverPanel.Rate(interface: $0.key, bitsPerSecond: $0.value) }
        panel.phase = "\(test.phase)"
        panel.events = test.events.map { "\(Units.fixed($0.time, decimals: 1)) s  \($0.text)" }
        state.failover = panel
        if test.isFinished { finishFailover(test) }
    }

    private func finishFailover(_ test: FailoverTest) {
        guard var panel = state.failover else { return }
        panel.phase = "finished"
        panel.report = test.report.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        state.failover = panel
    }

    /// Writes the report as JSON into the current directory (or /tmp when that is not
    /// writable) and returns the path, or an error text.
    private func save(_ json: String) -> String {
        let name = "mptop-failover-\(Int(inputs.now() * 1000)).json"
        for dir in [".", "/tmp"] {
            let path = dir + "/" + name
            guard let f = fopen(path, "w") else { continue }
            fputs(json + "\n", f)
            fclose(f)
            return path
        }
        return "(could not save: \(String(cString: strerror(errno))))"
    }
}
