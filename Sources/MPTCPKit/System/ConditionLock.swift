#if canImport(Glibc)
import Glibc
#endif

/// A mutex with one condition, for two threads that wait for each other (a dump's receiver and
/// its decoder, a report's renderer and its helper, a pipe's reader and whoever waits for its
/// text). pthreads: Synchronization's `Mutex` has no condition to wait on, and Foundation's
/// NSCondition would bring Foundation into `mptop`'s start-up.
public final class ConditionLock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    public init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    public func lock() { pthread_mutex_lock(mutex) }
    public func unlock() { pthread_mutex_unlock(mutex) }

    /// `body` with the mutex held.
    public func locked<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Waits for a `broadcast`, the mutex held (it is let go meanwhile). Wakes may be spurious:
    /// the caller waits in a loop on what it waits for.
    public func wait() { pthread_cond_wait(condition, mutex) }

    /// `wait` until `deadline` (CLOCK_REALTIME); false once it passed.
    public func wait(until deadline: timespec) -> Bool {
        var until = deadline
        return pthread_cond_timedwait(condition, mutex, &until) != ETIMEDOUT
    }

    /// Wakes every thread waiting; called with the mutex held.
    public func broadcast() { pthread_cond_broadcast(condition) }
}
