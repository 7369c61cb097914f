#if canImport(Glibc)
import Glibc
#endif

/// The exporter's nice value, given back to the threads that do its work, and their names.
///
/// Linux keeps a nice value per thread, and a new thread starts with its creator's. Swift's
/// concurrency runs on libdispatch's threads, which set their own nice value from their QoS (0 at
/// the default QoS), so every thread started from async code ran at nice 0, whatever `nice` or
/// systemd's `Nice=` gave the exporter: the namespace workers, the sampler's receiving threads
/// they start, NIO's event loops. On a busy machine a scrape then waited for the CPU behind
/// everything else at nice 0 (README, "Performance").
enum ThreadSettings {
    /// The nice value of the main thread, which libdispatch leaves alone: the one the exporter was
    /// started with. On Linux `PRIO_PROCESS` names a thread: `pid` the one whose id is `pid`, the
    /// main thread's, and 0 the calling one.
    static func launched() -> Int32? {
        errno = 0
        let nice = getpriority(which, id_t(getpid()))
        return nice == -1 && errno != 0 ? nil : nice
    }

    /// Gives the calling thread the nice value the exporter was started with (its receiving
    /// threads inherit it). Best effort: lowering a thread's nice value needs CAP_SYS_NICE (or
    /// RLIMIT_NICE), so without it a thread stays at what it inherited.
    static func adoptLaunched() {
        guard let nice = launched(), nice != getpriority(which, 0) else { return }
        _ = setpriority(which, 0, nice)
    }

    /// Names the calling thread for the kernel (top -H, perf, /proc/PID/task/TID/comm; at most
    /// 15 bytes). Glibc's pthread_setname_np is not visible to Swift; it writes the same file.
    static func nameCallingThread(_ name: String) {
        let fd = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = Array(name.utf8.prefix(15)).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    private static let which = __priority_which_t(PRIO_PROCESS.rawValue)
}
