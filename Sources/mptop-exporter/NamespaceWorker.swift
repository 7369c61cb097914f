import Exporter
import Foundation
import MPTCPKit
import Output
#if canImport(Glibc)
import Glibc
#endif

/// One watched namespace: a thread of its own that entered it (a sock_diag socket, the MIB
/// counters in /proc/thread-self and the event subscription all belong to the namespace of the
/// thread that opens or reads them), its sampler, its event subscription, and its state.
///
/// The thread sleeps in poll() on the event socket and a wake-up pipe: events are counted as
/// they arrive (a burst between two scrapes would otherwise overflow the socket buffer), and a
/// collection asked for by a scrape runs on it. Collections are serialised per namespace;
/// namespaces are collected in parallel.
final class NamespaceWorker: @unchecked Sendable {
    /// What the kernel calls the worker threads (15 bytes at most).
    static let threadName = "mptop-netns"

    /// The `netns` label.
    let label: String
    /// The named namespace to enter, nil for the exporter's own.
    let name: String?
    private let withRates: Bool

    // Guarded by `lock`: what other threads hand to the worker thread.
    private let lock = NSLock()
    private var jobs: [() -> Void] = []
    private var stopping = false
    private let wakeRead: Int32
    private let wakeWrite: Int32

    // Touched only on the worker thread.
    private var state: NamespaceState
    private var sampler: Sampler?
    private var events: PathManagerEventSource?
    /// The namespace this thread is in, when it entered `name` (to notice it was replaced).
    private var entered: NamespaceIdentity?
    private var collections = 0

    /// `withRates`: rates against the previous collection (only the per-connection ranking
    /// needs them; they cost a dictionary of every subflow per scrape).
    init(name: String?, label: String, withRates: Bool) throws {
        self.name = name
        self.label = label
        self.withRates = withRates
        state = NamespaceState(namespace: label)
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw SystemCallError(.create, "a pipe", .current) }
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        wakeRead = fds[0]
        wakeWrite = fds[1]
        let thread = Thread { [self] in loop() }
        thread.name = "netns \(label)"
        thread.start()
    }

    /// Collects the namespace now and hands its state to `done` on the worker's thread; nil
    /// (at once, on the caller's thread) when the worker was stopped (its namespace was deleted
    /// while a scrape was starting): the scrape leaves it out.
    func collect(_ done: @escaping @Sendable (NamespaceState?) -> Void) {
        if !enqueue({ [self] in done(collectNow()) }) { done(nil) }
    }

    func collect() async -> NamespaceState? {
        await withCheckedContinuation { (done: CheckedContinuation<NamespaceState?, Never>) in
            collect { done.resume(returning: $0) }
        }
    }

    /// Ends the thread after the jobs already queued; its sockets close with it.
    func stop() {
        lock.lock()
        stopping = true
        lock.unlock()
        wake()
    }

    /// Hands `job` to the thread; false once the worker is stopping. A job queued before
    /// `stop()` always runs: the loop takes the jobs and the stop flag under one lock.
    private func enqueue(_ job: @escaping () -> Void) -> Bool {
        lock.lock()
        let accepted = !stopping
        if accepted { jobs.append(job) }
        lock.unlock()
        if accepted { wake() }
        return accepted
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1) // a full pipe already wakes the thread
    }

    private func loop() {
        // Started from async code, the thread has libdispatch's nice value, not the exporter's;
        // and its name (Foundation's Thread.name is not the kernel's), for top, perf and the tests.
        ThreadSettings.adoptLaunched()
        ThreadSettings.nameCallingThread(Self.threadName)
        defer {
            close(wakeRead)
            close(wakeWrite)
        }
        while true {
            var fds = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            if let events { fds.append(pollfd(fd: events.fd, events: Int16(POLLIN), revents: 0)) }
            _ = poll(&fds, nfds_t(fds.count), -1)
            if fds.count > 1, fds[1].revents != 0, let events { state.record(events.drain()) }
            var buffer = [UInt8](repeating: 0, count: 64)
            while read(wakeRead, &buffer, buffer.count) > 0 {}
            lock.lock()
            let work = jobs
            jobs.removeAll()
            let done = stopping
            lock.unlock()
            for job in work { job() }
            if done { return }
        }
    }

    /// Makes sure this thread is in the namespace, samples it, reads its counters.
    private func collectNow() -> NamespaceState {
        defer { collections += 1 }
        let start = Clock.system.monotonicNanos()
        func seconds() -> Double { Double(Clock.system.monotonicNanos() &- start) / 1e9 }
        do {
            try enterIfNeeded()
            // Opened once, in the namespace this thread is in now; owning processes are not looked up.
            let sampler = try self.sampler ?? Sampler(options: .init(processes: false, namespace: name))
            self.sampler = sampler
            subscribeIfNeeded()
            if let events { state.record(events.drain()) }
            let snapshot = withRates ? try sampler.sample() : try sampler.sampleWithoutRates()
            let mib = try? MPTCPCounters.read()
            state.record(snapshot, mib: mib, duration: seconds())
        } catch {
            let message = "\(error)"
            // The first collection's failure is the caller's to report (at start: the exit message).
            if message != state.lastError, collections > 0 { Console.err("mptop-exporter: netns \(label): \(message)\n") }
            state.recordFailure(message, duration: seconds())
        }
        return state
    }

    /// Enters `name`, again when the namespace under that name was deleted or replaced: the
    /// sockets of the old one would otherwise keep watching (and keep alive) a namespace
    /// nobody can see any more.
    private func enterIfNeeded() throws {
        guard let name else { return }
        let current = NetworkNamespaceHandle.identity(named: name)
        if let entered, current == entered { return }
        sampler = nil
        events = nil
        entered = nil
        guard current != nil else { throw MPTopError.noSuchNamespace(name) }
        try NetworkNamespace.enter(name)
        entered = try? NamespaceIdentity.current()
    }

    private func subscribeIfNeeded() {
        guard events == nil, state.eventsStatus != .noPermission, state.eventsStatus != .unsupported else { return }
        do {
            events = try PathManagerEventSource()
            state.eventsStatus = .subscribed
        } catch MPTopError.permission {
            state.eventsStatus = .noPermission
        } catch MPTopError.mptcpMissing {
            state.eventsStatus = .unsupported
        } catch {
            state.eventsStatus = .failed
        }
    }
}
