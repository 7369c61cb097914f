import SystemPackage

/// Writes a recording: the header, then one record per sample carrying the events that came
/// before it, the MIB counters read with it and, at a block start, the path-manager setup.
///
/// Each record goes out with one write(2) as soon as its sample is taken, and is whole in
/// itself once the records before it are, so a recording killed at any moment reads up to its
/// last complete sample. (No fsync per sample: a crash of the machine may lose the last ones.)
public final class RecordingWriter {
    public let path: String
    public let header: RecordingHeader
    /// Samples written so far.
    public private(set) var samples = 0
    /// Bytes in the file so far.
    public private(set) var size = 0
    /// Microseconds spent encoding, compressing and writing samples (the cost `record` reports).
    public private(set) var busyMicroseconds: UInt64 = 0
    private var fd: FileDescriptor?
    private let deflater: Zlib.Deflater
    private var sampleEncoder = SampleEncoder()
    private var counterEncoder = CounterEncoder()
    private var pending = PathManagerEventBatch()

    /// Creates `path` (mode 0600: a recording names processes and addresses); an existing file
    /// is refused rather than overwritten, and never followed through a symlink.
    public init(path: String, header: RecordingHeader) throws {
        self.path = path
        self.header = header
        deflater = try Zlib.Deflater()
        do throws(Errno) {
            fd = try Errno.catching {
                try FileDescriptor.open(FilePath(path), .writeOnly, options: [.create, .exclusiveCreate, .noFollow, .closeOnExec],
                                        permissions: .ownerReadWrite)
            }
        } catch {
            if error == .fileExists { throw MPTopError.io("cannot create \(path): it exists (mptop does not overwrite a file; choose another name)") }
            throw SystemCallError(.create, path, error)
        }
        do { try write(header.fileBytes()) } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    public func close() {
        try? fd?.close()
        fd = nil
    }

    /// Events noted that no sample has carried into the file yet.
    public var hasPendingEvents: Bool { !pending.events.isEmpty || pending.overrun }

    /// Keeps events for the next sample's record.
    public func note(_ batch: PathManagerEventBatch) {
        pending.events += batch.events
        pending.overrun = pending.overrun || batch.overrun
    }

    /// Writes one sample, with the events noted since the last one and the counters read with
    /// it. `setup` is asked for at block starts only (it costs a few netlink requests).
    public func append(_ snapshot: Snapshot, counters: MPTCPCounters?, setup: () -> PathManagerSetup?) throws {
        let started = Clock.system.monotonicNanos()
        defer { busyMicroseconds &+= (Clock.system.monotonicNanos() &- started) / 1000 }
        let blockStart = samples % header.keyframeEvery == 0
        if blockStart {
            sampleEncoder.reset()
            counterEncoder.reset()
            deflater.reset()
        }
        var messages = RecordingByteWriter()
        if blockStart, let s = setup() { message(.setup, into: &messages) { SetupCoding.encode(s, into: &$0) } }
        if !pending.events.isEmpty || pending.overrun {
            let batch = pending
            message(.events, into: &messages) { EventCoding.encode(batch, into: &$0) }
            pending = PathManagerEventBatch()
        }
        if let counters { message(.counters, into: &messages) { counterEncoder.encode(counters, into: &$0) } }
        message(.sample, into: &messages) { sampleEncoder.encode(snapshot, into: &$0) }

        var payload = RecordingByteWriter()
        if blockStart { payload.double(snapshot.time) }
        payload.bytes += try deflater.compress(messages.bytes)
        try write(Self.frame(type: blockStart ? .blockStart : .blockContinued, payload: payload.bytes) + payload.bytes)
        samples += 1
    }

    private func message(_ kind: RecordingFormat.MessageKind, into w: inout RecordingByteWriter, _ body: (inout RecordingByteWriter) -> Void) {
        var b = RecordingByteWriter()
        body(&b)
        w.bytes.append(kind.rawValue)
        w.varint(b.bytes.count)
        w.bytes += b.bytes
    }

    static func frame(type: RecordingFormat.RecordType, payload: [UInt8]) -> [UInt8] {
        var w = RecordingByteWriter()
        w.u32(UInt32(payload.count))
        w.bytes += [type.rawValue, 0, 0, 0]
        w.u32(Zlib.crc32(payload))
        w.u32(Zlib.crc32(w.bytes))
        return w.bytes
    }

    private func write(_ bytes: [UInt8]) throws {
        guard let fd else { throw MPTopError.io("cannot write \(path): the recording is closed") }
        do { size += try Errno.catching { try fd.writeAll(bytes) } } catch {
            throw SystemCallError(.write, path, error)
        }
    }
}
