extension RecordingWriter {
    /// Appends a sample of `namespace` (nil: the calling thread's) with what the recording keeps
    /// beside it: the MIB counters read now, and at each block start the path-manager setup
    /// (gathered only then; it costs a few netlink and sysctl reads). `mptop record` and the
    /// report's recording both write their samples this way, so both replay the same.
    public func append(_ snapshot: Snapshot, namespace: String?) throws {
        try append(snapshot, counters: try? MPTCPCounters.read(), setup: { Self.setup(namespace: namespace) })
    }

    /// The setup as a recording keeps it: what diagnose reads besides samples, events and
    /// counters (the counters have their own records).
    public static func setup(namespace: String?) -> PathManagerSetup {
        var s = PathManagerSetup.gather(namespace: namespace)
        s.counters = nil
        return s
    }
}
