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
            let snapshot: Snapshot
            if window > 0 {
                _ = try sampler.sample()
                try sleepSeconds(window)
                snapshot = try sampler.sample()
            } else {
                // Rates of a first sample are all unknown: no counters to remember for a next one.
                snapshot = try sampler.sampleWithoutRates()
            }
            // The only report, rendered on both cores (nothing else runs beside it now).
            var buffer: [UInt8] = []
            try emit(snapshot, o, into: &buffer, twoThreads: true)
            return 0
        }

        let interval = o.interval ?? 1
        // Redrawn in place only where the cursor can move (not under TERM=dumb).
        let live = o.output == .table && o.count == nil && isatty(1) != 0 && CursesTerminal.support() == .screen
        var emitted = 0
        var output = ReportWriter()
        var deadline = Clock.system.monotonicNanos()
        while o.count.map({ emitted < $0 }) ?? true {
            let snapshot = try sampler.sample()
            try output.write(snapshot, o, clearScreen: live)
            emitted += 1
            if let c = o.count, emitted >= c { break }
            if shouldStop() { break }
            // Fixed-rate schedule: a slow sample does not push every later one back.
            deadline &+= UInt64(interval * 1e9)
            let now = Clock.system.monotonicNanos()
            if deadline > now { try sleepSeconds(Double(deadline - now) / 1e9, shouldStop) } else { deadline = now }
            if shouldStop() { break }
        }
        try output.finish()
        return 0
    }

    /// Renders and writes the reports of a stream on a thread of its own, so that the next
    /// sample is taken while the last one is written: at 5,000 connections a JSON report is
    /// about 8.6 MB, 20 ms of rendering and writing, which `--interval 0` would otherwise add to
    /// every sample in turn. At most one report is in hand: `write` first waits for the one
    /// before (a slow reader holds the sampling back rather than reports piling up in memory),
    /// so the reports go out whole and in order, and the error of a failed write (EPIPE when the
    /// reader went away) is thrown at the next report or at `finish()`, ending the loop as a
    /// failed write does. The one byte buffer goes to the thread with the report and comes back.
    struct ReportWriter {
        private var buffer: [UInt8] = []  // one report's bytes, its storage kept from report to report
        private var pending: BackgroundThread<Result<[UInt8], any Error>>?

        /// Hands `s` to the writing thread, once the report before it is out.
        mutating func write(_ s: Snapshot, _ o: MonitorOptions, clearScreen: Bool) throws {
            try finish()
            var bytes = buffer
            buffer = []
            pending = BackgroundThread {
                Result { () throws -> [UInt8] in
                    try emit(s, o, into: &bytes, clearScreen: clearScreen)
                    return bytes
                }
            }
        }

        /// Waits until the last report is written; throws what its writing threw.
        mutating func finish() throws {
            guard let last = pending else { return }
            pending = nil
            buffer = try last.wait().get()
        }
    }

    /// Writes one report, built in `buffer`: a table with one write(2) where the kernel takes it
    /// whole, JSON in pieces of about 1 MiB (`SnapshotJSON.printLine`); with `twoThreads`, both
    /// in pieces rendered on two threads (`PiecewiseRender`), the same bytes.
    static func emit(_ s: Snapshot, _ o: MonitorOptions, into buffer: inout [UInt8], clearScreen: Bool = false, twoThreads: Bool = false) throws {
        switch o.output {
        case .json:
            try SnapshotJSON.printLine(s, buffer: &buffer, twoThreads: twoThreads)
        case .table:
            buffer.removeAll(keepingCapacity: true)
            if clearScreen { buffer.append(utf8: "\u{1b}[H\u{1b}[2J") }
            if twoThreads {
                try SnapshotTable.write(s, buffer: &buffer) { try Console.out($0) }
            } else {
                SnapshotTable.render(s, into: &buffer)
                try Console.out(buffer)
            }
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
