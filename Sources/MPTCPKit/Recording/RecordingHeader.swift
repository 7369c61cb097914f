#if canImport(Glibc)
import Glibc
#endif

/// What a recording says about itself: who made it, where, and how often it sampled. The replay
/// header shows it; nothing in it is needed to decode the samples but the namespace name.
public struct RecordingHeader: Sendable, Equatable {
    /// The format version the file was written in.
    public var version: UInt16 = RecordingFormat.version
    /// e.g. "mptop 0.1.0".
    public var writer: String
    public var host: String
    /// `uname -r` of the recording machine.
    public var kernel: String
    /// The watched namespace's name; nil for the namespace mptop ran in.
    public var namespace: String?
    /// Seconds between samples, as asked.
    public var interval: Double
    /// Wall-clock seconds since the epoch when recording started.
    public var started: Double
    public var pathManager: String?
    public var scheduler: String?
    /// A keyframe (and the setup) every this many samples.
    public var keyframeEvery: Int

    public init(writer: String, host: String, kernel: String, namespace: String?, interval: Double, started: Double,
                pathManager: String?, scheduler: String?, keyframeEvery: Int = 60) {
        self.writer = writer
        self.host = host
        self.kernel = kernel
        self.namespace = namespace
        self.interval = interval
        self.started = started
        self.pathManager = pathManager
        self.scheduler = scheduler
        self.keyframeEvery = max(1, keyframeEvery)
    }

    /// The header of a recording made here now: host, kernel, the namespace's path manager and
    /// scheduler (read in the calling thread's namespace).
    public static func current(writer: String, namespace: String?, interval: Double, keyframeEvery: Int = 60,
                               clock: Clock = .system) -> RecordingHeader {
        var u = utsname()
        uname(&u)
        let sysctl = MPTCPSysctl.read()
        return RecordingHeader(writer: writer, host: cString(&u.nodename), kernel: cString(&u.release), namespace: namespace,
                               interval: interval, started: clock.wallSeconds(), pathManager: sysctl.pathManager?.rawValue,
                               scheduler: sysctl.scheduler, keyframeEvery: keyframeEvery)
    }

    private static func cString<T>(_ field: inout T) -> String {
        withUnsafeBytes(of: &field) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    func encode(into w: inout RecordingByteWriter) {
        w.text(writer)
        w.text(host)
        w.text(kernel)
        w.bool(namespace != nil)
        if let namespace { w.text(namespace) }
        w.double(interval)
        w.double(started)
        w.bool(pathManager != nil)
        if let pathManager { w.text(pathManager) }
        w.bool(scheduler != nil)
        if let scheduler { w.text(scheduler) }
        w.varint(keyframeEvery)
    }

    static func decode(_ r: inout RecordingByteReader, version: UInt16) throws(RecordingDamage) -> RecordingHeader {
        let writer = try r.text(), host = try r.text(), kernel = try r.text()
        let namespace = try r.bool() ? try r.text() : nil
        let interval = try r.double(), started = try RecordingLimits.time(try r.double(), "the start time")
        guard RecordingLimits.interval.contains(interval) else { throw RecordingDamage("an interval of \(interval) s") }
        let pathManager = try r.bool() ? try r.text() : nil
        let scheduler = try r.bool() ? try r.text() : nil
        let keyframeEvery = try r.count(limit: 1 << 20, minimumSize: 0, "keyframe interval")
        var h = RecordingHeader(writer: writer, host: host, kernel: kernel, namespace: namespace, interval: interval,
                                started: started, pathManager: pathManager, scheduler: scheduler, keyframeEvery: keyframeEvery)
        h.version = version
        return h
    }

    /// The file's first bytes: magic, version, header length, header, CRC32 of all of those.
    func fileBytes() -> [UInt8] {
        var body = RecordingByteWriter()
        encode(into: &body)
        var w = RecordingByteWriter()
        w.bytes = RecordingFormat.magic
        w.bytes.append(UInt8(version & 0xff))
        w.bytes.append(UInt8(version >> 8))
        w.u32(UInt32(body.bytes.count))
        w.bytes.append(contentsOf: body.bytes)
        w.u32(Zlib.crc32(w.bytes))
        return w.bytes
    }
}
