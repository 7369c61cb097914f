#if canImport(Glibc)
import Glibc
#endif

/// A failover test as a state machine driven by the caller's samples, so the command line's
/// sampling loop and the dashboard's event loop can both run it without blocking:
///
/// ```
/// let test = try FailoverTest(config: config, snapshot: sampler.sample(), interfaces: sampler.interfaceTable)
/// // show test.description, confirm, then on every sample:
/// for event in test.observe(try sampler.sample()) { show(event) }
/// if test.isFinished { show(test.report) }
/// // on q / Ctrl-C / SIGTERM: test.stop(reason: "interrupted") restores at once
/// ```
///
/// Phases: `before` (baseline measured for `config.baseline` s), then the failure is applied
/// and lasts `config.duration` s (`during`), then everything is restored and `after` is measured
/// for `config.settle` s. Every change is journaled before it is made (`ActionJournal`). The
/// sockets and `nft` work in the namespace of the thread that calls `init`/`observe`: enter the
/// watched namespace first and drive the test from that thread.
public final class FailoverTest {
    public enum Phase: Int, Sendable, Comparable {
        case before, during, after, finished
        public static func < (a: Phase, b: Phase) -> Bool { a.rawValue < b.rawValue }

        /// The phase in words, as the dashboard's failover panel shows it.
        public var label: String {
            switch self {
            case .before: return "before"
            case .during: return "during"
            case .after: return "after"
            case .finished: return "finished"
            }
        }
    }

    public let config: FailoverConfig
    public private(set) var phase: Phase = .before
    public private(set) var events: [FailoverEvent] = []
    /// The first error that stopped the test early, if any (one line).
    public private(set) var failure: String?

    /// The connections under test (one, or every one with a subflow on the interface), by
    /// identity, and their tokens (for the report and the path manager's commands).
    public let connections: [ConnectionID]
    public let tokens: [UInt32]
    private let targets: [(token: UInt32, subflow: Subflow)]
    private let interfaceIndex: UInt32
    private let tableName: String
    private let journal: ActionJournal
    private let endpoints: [PathManagerEndpoint]
    private var notes: [String] = []
    private var rulesetBefore: String?
    private var restoreSucceeded: Bool?
    private var start: UInt64?
    private var failedAt: UInt64?
    private var restoredAt: UInt64?
    private var rates: [Phase: [String: [Double]]] = [:]
    private var totalsBefore: [Double] = []
    private var recoveryMs: Double?
    private var last: [UInt32: Connection] = [:]

    /// Checks everything the test needs (connection, interface, its subflows, the tools and
    /// endpoints the mode needs) and changes nothing. One-line errors for anything missing.
    public init(config: FailoverConfig, snapshot: Snapshot, interfaces: InterfaceTable) throws {
        guard config.duration > 0, config.duration <= 3600 else {
            throw MPTopError.invalidRequest("the failover duration must be between 0 and 3600 seconds")
        }
        self.config = config
        let connections: [Connection]
        switch config.target {
        case .token(let token):
            connections = [try SnapshotLookup.connection(token: token, in: snapshot)]
        case .connection(let id):
            let c = try SnapshotLookup.connection(id, in: snapshot)
            guard c.token != nil else {
                throw MPTopError.invalidRequest("connection \(c.local) -> \(c.remote) shows no MPTCP token (no mptcp_info): a failover test names, follows "
                    + "and reports its connections by token, so it cannot run on this one (x still closes one of its subflows)")
            }
            connections = [c]
        case .everyConnection:
            connections = try SnapshotLookup.connections(on: config.interface, in: snapshot, interfaces: interfaces)
        }
        var targets: [(token: UInt32, subflow: Subflow)] = []
        // Every connection here has mptcp_info (SnapshotLookup returns only those, and one
        // without is refused above), so each has a token.
        for c in connections {
            guard let token = c.token else { continue }
            let on = try SnapshotLookup.subflows(on: config.interface, of: c, interfaces: interfaces)
            if config.mode == .close && on.count >= c.subflows.count {
                throw MPTopError.invalidRequest("close mode would close every subflow of connection \(hex(token)) (all are on \(config.interface)): \(CloseSubflowPlan.strandingWarning)")
            }
            targets += on.map { (token, $0) }
        }
        self.targets = targets
        self.connections = connections.map(\.id)
        tokens = connections.compactMap(\.token)
        interfaceIndex = interfaces.index(named: config.interface) ?? 0
        let run = ActionRunID.make()
        tableName = NftBlackhole.tableName(for: run)
        try ActionJournal.checkDirectory(config.journalDirectory)
        journal = ActionJournal(namespace: config.namespace, what: "failover \(config.mode.rawValue) on \(config.interface) of \(Self.name(tokens))",
                                run: run, directory: config.journalDirectory)
        switch config.mode {
        case .blackhole:
            _ = try NftBlackhole.nft()
            endpoints = []
        case .close:
            endpoints = []
        case .backup:
            if config.pathManager == .kernel {
                endpoints = try BackupToggle().endpoints(onInterface: interfaceIndex, addresses: interfaces.addresses(of: interfaceIndex))
                if endpoints.isEmpty {
                    throw MPTopError.invalidRequest("backup mode: \(config.interface) has no MPTCP endpoint, and the in-kernel path manager only sets backup per endpoint (ip mptcp endpoint add ADDR dev \(config.interface) subflow)")
                }
            } else {
                endpoints = []
            }
        }
    }

    /// What the test will do, for a confirmation dialog.
    public var description: String {
        let what: String
        switch config.mode {
        case .blackhole: what = "drop every packet of its \(targets.count) subflow(s) on \(config.interface) (nftables table of mptop's own)"
        case .close: what = "close its \(targets.count) subflow(s) on \(config.interface)" + (config.pathManager == .userspace ? " and re-create them afterwards" : " (the in-kernel path manager will not re-create them)")
        case .backup:
            what = config.pathManager == .kernel
                ? "mark endpoint(s) \(endpoints.map { "\($0.id)" }.joined(separator: ",")) on \(config.interface) as backup (for every connection using them)"
                : "mark its subflow(s) on \(config.interface) as backup"
        }
        return "failover test on \(Self.name(tokens)): for \(Units.fixed(config.duration, decimals: 1)) s, \(what); then restore everything"
    }

    public var isFinished: Bool { phase == .finished }

    /// Feeds one sample (with rates). Applies the failure and restores when their time has
    /// come. Returns the events this call produced.
    @discardableResult
    public func observe(_ snapshot: Snapshot) -> [FailoverEvent] {
        guard phase != .finished else { return [] }
        let count = events.count
        let now = snapshot.monotonic
        if start == nil { start = now }
        record(snapshot, now: now)
        switch phase {
        case .before where seconds(since: start, now) >= config.baseline:
            apply(now)
        case .during where seconds(since: failedAt, now) >= config.duration:
            restore(now)
        case .after where seconds(since: restoredAt, now) >= config.settle:
            finish(now)
        default:
            break
        }
        return Array(events[count...])
    }

    /// Ends the test now (q, Ctrl-C, SIGTERM), restoring whatever was changed.
    public func stop(reason: String) {
        guard phase != .finished else { return }
        let now = Clock.system.monotonicNanos()
        event(now, "stopped: \(reason)")
        if phase == .during { restore(now) }
        finish(now)
    }

    // MARK: - Measuring

    private func record(_ snapshot: Snapshot, now: UInt64) {
        last = [:]
        for c in snapshot.connections { if let t = c.token, tokens.contains(t) { last[t] = c } }
        let subflows = last.values.flatMap(\.subflows)
        guard subflows.contains(where: { $0.txRate != nil }) else { return }
        var perInterface: [String: Double] = [config.interface: 0]
        for s in subflows {
            let name = s.interfaceName ?? "?"
            perInterface[name, default: 0] += (s.txRate ?? 0) + (s.rxRate ?? 0)
        }
        for (name, rate) in perInterface { rates[phase, default: [:]][name, default: []].append(rate) }
        let total = perInterface.values.reduce(0, +)
        if phase == .before { totalsBefore.append(total) }
        if phase == .during, recoveryMs == nil, let failedAt {
            let others = perInterface.filter { $0.key != config.interface }.values.reduce(0, +)
            let target = mean(totalsBefore).map { $0 / 2 } ?? .infinity
            if target > 0, others >= target {
                recoveryMs = Double(now &- failedAt) / 1e6
                let names = perInterface.keys.filter { $0 != config.interface }.sorted().joined(separator: "+")
                event(now, "\(names) carried \(Units.rate(others)), at least half the pre-failure \(Units.rate(target * 2))")
            }
        }
    }

    // MARK: - Changing and restoring

    private func apply(_ now: UInt64) {
        phase = .during
        failedAt = now
        do {
            switch config.mode {
            case .blackhole:
                rulesetBefore = try NftBlackhole.listRuleset()
                try journal.record(.deleteNftTable(tableName))
                try NftBlackhole(tableName: tableName, interfaceIndex: interfaceIndex, subflows: targets.map { ($0.subflow.local, $0.subflow.remote) }).apply()
                event(now, "\(config.interface) blackholed (\(targets.count) subflow(s), both directions)")
            case .close:
                let closer = try SubflowCloser(pathManagerKind: config.pathManager)
                for (token, s) in targets {
                    if config.pathManager == .userspace {
                        let index = s.boundInterfaceIndex != 0 ? s.boundInterfaceIndex : interfaceIndex
                        try journal.record(.createSubflow(token: token, local: s.local.address, interfaceIndex: Int32(bitPattern: index), remote: s.remote))
                    }
                    let method = try closer.execute(CloseSubflowPlan(token: token, subflow: s, method: config.pathManager == .userspace ? .subflowDestroy : .sockDestroy, isLastSubflow: false))
                    event(now, "closed subflow \(s.local) -> \(s.remote) on \(config.interface) (\(method.rawValue))")
                }
            case .backup:
                if config.pathManager == .kernel {
                    let toggle = try BackupToggle()
                    for e in endpoints {
                        try journal.record(.endpointFlags(id: e.id, flags: e.flags.rawValue))
                        try toggle.apply(BackupPlan(target: .endpoint(e), backup: true))
                    }
                    event(now, "endpoint(s) on \(config.interface) set to backup (all connections using them)")
                } else {
                    let client = try PathManagerClient()
                    for (token, s) in targets {
                        try journal.record(.subflowBackup(token: token, local: s.local, remote: s.remote, backup: s.ulp?.backupLocal ?? false))
                        try client.setSubflowBackup(token: token, local: s.local, remote: s.remote, backup: true)
                    }
                    event(now, "subflow(s) on \(config.interface) set to backup")
                }
            }
        } catch {
            failure = "\(error)"
            event(now, "could not apply the failure: \(error)")
            restore(now)
            finish(now)
        }
    }

    private func restore(_ now: UInt64) {
        guard phase == .during else { return }
        phase = .after
        restoredAt = now
        var problems: [String] = []
        for step in journal.steps.reversed() {
            do {
                try step.perform()
                try journal.forget(step)
            } catch {
                problems.append("\(error)")
            }
        }
        switch config.mode {
        case .blackhole:
            if let before = rulesetBefore, let after = try? NftBlackhole.listRuleset(), after != before {
                problems.append("the nftables ruleset differs from the one before the test")
            }
        case .backup where config.pathManager == .kernel:
            let now = (try? PathManagerClient().endpoints()) ?? []
            for e in endpoints where now.first(where: { $0.id == e.id })?.flags != e.flags {
                problems.append("endpoint \(e.id) does not have its flags back")
            }
        case .close where config.pathManager == .kernel:
            problems.append("closed subflows are not re-created")
            notes.append("the in-kernel path manager does not re-create closed subflows: the connection goes on without them")
        default:
            break
        }
        restoreSucceeded = problems.isEmpty
        if problems.isEmpty {
            journal.remove()
            event(now, "restored \(config.interface)")
        } else {
            event(now, "restore incomplete: \(problems.joined(separator: "; "))")
            if !journal.steps.isEmpty { notes.append("undo journal kept at \(journal.path); the next mptop start retries it") }
        }
    }

    private func finish(_ now: UInt64) {
        if phase == .during { restore(now) }
        if config.mode == .close, config.pathManager == .userspace, restoreSucceeded == true {
            let missing = tokens.filter { last[$0]?.subflows.contains(where: { $0.interfaceName == config.interface }) != true }
            if !missing.isEmpty {
                restoreSucceeded = false
                notes.append("no subflow on \(config.interface) came back for \(Self.name(missing))")
            }
        }
        let name = config.interface
        if failure == nil, restoredAt != nil, (mean(rates[.before]?[name] ?? []) ?? 0) > 0,
           let after = rates[.after]?[name], !after.isEmpty, after.allSatisfy({ $0 == 0 }) {
            notes.append("\(name) carried nothing in the \(Units.fixed(config.settle, decimals: 1)) s after the restore: its subflow is still backing off "
                + "(TCP retransmission timeout) or MPTCP marked it stale; a longer settle time shows when it comes back")
        }
        phase = .finished
        event(now, "finished")
    }

    // MARK: - Report

    /// The report; complete once `isFinished`.
    public var report: FailoverReport {
        let names = Set(rates.values.flatMap(\.keys)).sorted()
        let throughput = names.map { n in
            FailoverReport.Throughput(interface: n, before: mean(rates[.before]?[n] ?? []),
                                      during: mean(rates[.during]?[n] ?? []), after: mean(rates[.after]?[n] ?? []))
        }
        let survived = tokens.allSatisfy { t in last[t].map { $0.state == .established && !$0.subflows.isEmpty } ?? false }
        // The connection asked for by token or row; nil when the test is of every connection.
        let asked = config.target == .everyConnection ? nil : tokens.first
        return FailoverReport(token: asked, tokens: tokens, interface: config.interface, mode: config.mode, duration: config.duration,
                              throughput: throughput, recoveryMs: recoveryMs, survived: survived,
                              restored: restoreSucceeded ?? (failedAt == nil), events: events, notes: notes)
    }

    /// "connection 5f1c2a3b" or "3 connections (5f1c2a3b, ...)".
    public static func name(_ tokens: [UInt32]) -> String {
        tokens.count == 1 ? "connection \(hex(tokens[0]))" : "\(tokens.count) connections (\(tokens.map { hex($0) }.joined(separator: ", ")))"
    }

    private func event(_ now: UInt64, _ text: String) {
        events.append(FailoverEvent(time: seconds(since: start, now), text: text))
    }

    private func seconds(since t: UInt64?, _ now: UInt64) -> Double {
        guard let t else { return 0 }
        return Double(now &- t) / 1e9
    }

    private func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }
}
