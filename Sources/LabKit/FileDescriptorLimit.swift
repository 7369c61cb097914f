#if canImport(Glibc)
import Glibc
#endif

/// Raising RLIMIT_NOFILE: thousands of idle connections need thousands of descriptors, and the
/// default soft limit is often 1024.
public enum FileDescriptorLimit {
    /// Raises the soft limit so at least `needed` descriptors can be open, raising the hard
    /// limit too when allowed (root). Throws when the limit cannot reach `needed`.
    public static func ensure(_ needed: Int) throws {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        let want = rlim_t(needed)
        if limit.rlim_cur >= want { return }
        if limit.rlim_max < want {
            var raised = rlimit(rlim_cur: want, rlim_max: want)
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { return }
        }
        var soft = rlimit(rlim_cur: min(max(want, limit.rlim_cur), limit.rlim_max), rlim_max: limit.rlim_max)
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &soft)
        guard soft.rlim_cur >= want else {
            throw LabError(.system, "need \(needed) file descriptors but the limit is \(limit.rlim_max) (see ulimit -n)")
        }
    }

    /// The hard limit: how many descriptors a process without CAP_SYS_RESOURCE can have at most.
    public static var hard: Int? {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
        return Int(clamping: limit.rlim_max)
    }

    /// Raises the soft limit to the hard limit (best effort), for a server that accepts
    /// however many connections arrive.
    public static func raiseToMaximum() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}
