#if canImport(Glibc)
import Glibc
#endif

/// Work run on a thread of its own while the caller does something else; `wait()` joins it
/// and returns the result. What a sample overlaps this way (the kernel's dump with the decoding
/// of it, the owner scan with the TCP dump) would otherwise take turns on one core.
///
/// Unchecked: the work may use objects that are not Sendable (a netlink socket, the process
/// table). The caller hands them over: it does not touch them until `wait()` returned.
public final class BackgroundThread<Result>: ThreadWork, @unchecked Sendable {
    private var work: (() -> Result)?
    private var result: Result?
    private var thread: pthread_t?

    /// Starts `work` on a new thread; when no thread can be made (or `concurrently` is false),
    /// runs it here and now, so a caller never waits for a thread that does not exist.
    public init(concurrently: Bool = true, _ work: @escaping () -> Result) {
        self.work = work
        super.init()
        thread = concurrently ? startThread(self) : nil
        if thread == nil { run() }
    }

    /// Starts `work` on a new thread; nil, and `work` not run, when the system gives no thread
    /// (for work that must not run in the caller's place, as it waits for the caller).
    public static func started(_ work: @escaping () -> Result) -> BackgroundThread? {
        let b = BackgroundThread(deferred: work)
        b.thread = startThread(b)
        return b.thread == nil ? nil : b
    }

    private init(deferred work: @escaping () -> Result) {
        self.work = work
        super.init()
    }

    override func run() {
        result = work?()
        work = nil
    }

    /// Waits for the work to finish (once); its result. pthread_join orders the thread's writes
    /// before the reads here.
    public func wait() -> Result {
        if let t = thread {
            pthread_join(t, nil)
            thread = nil
        }
        return result!
    }

    /// Never waited for: joined when the caller lets go last, detached when the thread does
    /// (its own end of the work is then the last reference).
    deinit {
        guard let t = thread else { return }
        if pthread_equal(t, pthread_self()) != 0 { pthread_detach(t) } else { pthread_join(t, nil) }
    }
}

/// The thread's side of a `BackgroundThread`: not generic, so one C entry point serves all.
public class ThreadWork {
    func run() {}
}

/// Runs `work.run()` on a new thread, which holds `work` until it is done; nil when the system
/// gives no thread.
private func startThread(_ work: ThreadWork) -> pthread_t? {
    var t = pthread_t()
    let context = Unmanaged.passRetained(work).toOpaque()
    guard pthread_create(&t, nil, threadEntry, context) == 0 else {
        Unmanaged<ThreadWork>.fromOpaque(context).release()
        return nil
    }
    return t
}

private func threadEntry(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    Unmanaged<ThreadWork>.fromOpaque(context!).takeRetainedValue().run()
    return nil
}
