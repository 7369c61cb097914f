import MPTCPKit
#if canImport(Glibc)
import Glibc
#endif

/// `mptop --once`, `mptop --json`, and the plain live view: samples the namespace and prints.
enum MonitorCommand {
    /// `shouldStop` is polled between samples (the demo stops on Ctrl-C and cleans up).
    static func run(_ o: MonitorOptions, shouldStop: () -> Bool = { false }) throws -> Int32 {
        // Like every start of mptop: what a killed run left is undone (or, --readonly, named).
        try JournalRecovery.atStart(readOnly: o.readOnly) { Console.err($0 + "\n") }
        if let ns = o.namespace { try NetworkNamespace.enter(ns) }
        let sysctl = MPTCPSysctl.read()
        guard let enabled = sysctl.enabled else { throw MPTopError.mptcpMissing }
        if !enabled {
            Console.err("mptop: note: MPTCP is disabled here (net.mptcp.enabled = 0): existing connections are shown, new ones cannot be made\n")
        }
        let sampler = try Sampler(options: .init(processes: o.processes, namespace: o.namespace))

        if o.once {
            // One report, but rates need two samples: measure over --interval (default 0.5 s);
            // --interval 0 gives a single sample without rates.
            let window = o.interval ?? 0.5
            if window > 0 {
                _ = try sampler.sample()
                sleepSeconds(window)
            }
            emit(try sampler.sample(), o)
            return 0
        }

        let interval = o.interval ?? 1
        let live = o.output == .table && o.count == nil && isatty(1) != 0
        var emitted = 0
        var deadline = Clock.system.monotonicNanos()
        while o.count.map({ emitted < $0 }) ?? true {
            let snapshot = try sampler.sample()
            emit(snapshot, o, clearScreen: live)
            emitted += 1
            if let c = o.count, emitted >= c { break }
            if shouldStop() { break }
            // Fixed-rate schedule: a slow sample does not push every later one back.
            deadline &+= UInt64(interval * 1e9)
            let now = Clock.system.monotonicNanos()
            if deadline > now { sleepSeconds(Double(deadline - now) / 1e9, shouldStop) } else { deadline = now }
            if shouldStop() { break }
        }
        return 0
    }

    static func emit(_ s: Snapshot, _ o: MonitorOptions, clearScreen: Bool = false) {
        switch o.output {
        case .json: Console.out(SnapshotJSON.render(s) + "\n")
        case .table: Console.out((clearScreen ? "\u{1b}[H\u{1b}[2J" : "") + SnapshotTable.render(s))
        }
    }

    /// Sleeps in slices of at most 100 ms so a stop request is noticed promptly.
    static func sleepSeconds(_ s: Double, _ shouldStop: () -> Bool = { false }) {
        var remaining = s
        while remaining > 0 && !shouldStop() {
            let slice = min(remaining, 0.1)
            nanosleepSeconds(slice)
            remaining -= slice
        }
    }

    static func nanosleepSeconds(_ s: Double) {
        guard s > 0 else { return }
        var left = timespec(tv_sec: Int(s), tv_nsec: Int((s - Double(Int(s))) * 1e9))
        var rest = timespec()
        while nanosleep(&left, &rest) != 0 && errno == EINTR { left = rest }
    }
}
