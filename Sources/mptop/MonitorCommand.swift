import MPTCPKit
import Output
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
        if try !MPTCPSysctl.mptcpEnabled() {
            Console.err("mptop: note: MPTCP is disabled here (net.mptcp.enabled = 0): existing connections are shown, new ones cannot be made\n")
        }
        let sampler = try Sampler(options: .init(processes: o.processes, namespace: o.namespace))

        if o.once {
            // One report, but rates need two samples: measure over --interval (default 0.5 s);
            // --interval 0 gives a single sample without rates.
            let window = o.interval ?? 0.5
            if window > 0 {
                _ = try sampler.sample()
                try sleepSeconds(window)
            }
            var buffer: [UInt8] = []
            try emit(try sampler.sample(), o, into: &buffer)
            return 0
        }

        let interval = o.interval ?? 1
        // Redrawn in place only where the cursor can move (not under TERM=dumb).
        let live = o.output == .table && o.count == nil && isatty(1) != 0 && CursesTerminal.support() == .screen
        var emitted = 0
        var buffer: [UInt8] = []  // one report's bytes, its storage kept from report to report
        var deadline = Clock.system.monotonicNanos()
        while o.count.map({ emitted < $0 }) ?? true {
            let snapshot = try sampler.sample()
            try emit(snapshot, o, into: &buffer, clearScreen: live)
            emitted += 1
            if let c = o.count, emitted >= c { break }
            if shouldStop() { break }
            // Fixed-rate schedule: a slow sample does not push every later one back.
            deadline &+= UInt64(interval * 1e9)
            let now = Clock.system.monotonicNanos()
            if deadline > now { try sleepSeconds(Double(deadline - now) / 1e9, shouldStop) } else { deadline = now }
            if shouldStop() { break }
        }
        return 0
    }

    /// Writes one report, built in `buffer`: a table with one write(2) where the kernel takes it
    /// whole, JSON in pieces of about 1 MiB (`SnapshotJSON.printLine`).
    static func emit(_ s: Snapshot, _ o: MonitorOptions, into buffer: inout [UInt8], clearScreen: Bool = false) throws {
        switch o.output {
        case .json:
            try SnapshotJSON.printLine(s, buffer: &buffer)
        case .table:
            buffer.removeAll(keepingCapacity: true)
            if clearScreen { buffer.append(utf8: "\u{1b}[H\u{1b}[2J") }
            SnapshotTable.render(s, into: &buffer)
            try Console.out(buffer)
        }
    }

    /// Sleeps `s` seconds, waking every 100 ms at most so a stop request is noticed promptly.
    /// Throws as soon as stdout's reader goes away (`--json --interval 10 | head -1`): nobody
    /// is left for the next report, and waiting for it to fail would keep mptop (and the
    /// demo's lab) running for up to an interval.
    static func sleepSeconds(_ s: Double, _ shouldStop: () -> Bool = { false }) throws(Console.WriteError) {
        let clock = Clock.system
        let deadline = clock.monotonicNanos() &+ UInt64(max(0, s) * 1e9)
        while !shouldStop() {
            let now = clock.monotonicNanos()
            guard now < deadline else { return }
            // Rounded up, so a last fraction of a millisecond does not spin.
            let ms = Int32(min(100, (deadline - now + 999_999) / 1_000_000))
            if Console.waitForReaderGone(milliseconds: ms) { throw Console.WriteError(errno: EPIPE) }
        }
    }

    static func nanosleepSeconds(_ s: Double) {
        guard s > 0 else { return }
        var left = timespec(tv_sec: Int(s), tv_nsec: Int((s - Double(Int(s))) * 1e9))
        var rest = timespec()
        while nanosleep(&left, &rest) != 0 && errno == EINTR { left = rest }
    }
}
