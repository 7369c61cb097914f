import SystemPackage

/// One recorded sample as the live dashboard and `mptop --json` had it: the snapshot with its
/// shares and rates, the events that came before it, the counters read with it and the
/// path-manager setup in effect.
public struct RecordedSample: Sendable {
    public var snapshot: Snapshot
    public var events: PathManagerEventBatch
    /// The counters read with this sample, nil when the recorder could not read them.
    public var counters: MPTCPCounters?
    /// The counters with their change since the previous sample's, as the counters pane shows them.
    public var counterChanges: [MPTCPCounterChange]?
    public var setup: PathManagerSetup?
}

/// Reads a recording, sample by sample, from a file nobody vouches for: every length is
/// checked against the file and the limits, every record's checksum before its bytes are used
/// (docs/recording.md, "Reading"). Damage is a `RecordingError` naming the byte offset; a file
/// that ends inside a record (a recording that was killed) reads up to its last complete
/// sample, with `truncation` saying so.
public final class RecordingReader {
    public let path: String
    public let header: RecordingHeader
    /// Set when the file ended inside a record: where, in words, for a note.
    public private(set) var truncation: String?

    /// Where a block starts and the wall-clock time of its first sample.
    public struct Block: Sendable, Equatable {
        public let offset: Int
        public let time: Double
    }

    private let fd: FileDescriptor
    private let size: Int
    private let firstRecord: Int
    private var offset: Int
    private var inBlock = false
    private let inflater: Zlib.Inflater
    private var samples = SampleDecoder()
    private var counters = CounterDecoder()
    private var rates = RateTracker()
    private var lastCounters: MPTCPCounters?
    private var setup: PathManagerSetup?
    private var blockIndex: [Block]?

    public init(path: String) throws {
        self.path = path
        do throws(Errno) {
            fd = try Errno.catching { try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec, .nonBlocking]) }
        } catch {
            throw RecordingError(path: path, problem: .system(error))
        }
        let info: Stat
        do { info = try fd.stat() } catch {
            try? fd.close()
            throw RecordingError(path: path, problem: .system(error))
        }
        guard info.type == .regular else {
            try? fd.close()
            throw RecordingError(path: path, problem: .notRegularFile)
        }
        size = Int(info.size)
        do {
            inflater = try Zlib.Inflater()
            (header, firstRecord) = try Self.readHeader(fd: fd, size: size, path: path)
        } catch {
            try? fd.close()
            throw error
        }
        offset = firstRecord
    }

    deinit { try? fd.close() }

    private static func readHeader(fd: FileDescriptor, size: Int, path: String) throws -> (RecordingHeader, Int) {
        let fail = { (p: RecordingError.Problem) in RecordingError(path: path, problem: p) }
        let preamble = try read(fd: fd, at: 0, count: min(size, RecordingFormat.preambleSize), path: path)
        let magic = RecordingFormat.magic
        // A file shorter than the magic that starts like it is a recording cut short; an empty
        // file or one that starts otherwise is something else.
        guard !preamble.isEmpty, Array(preamble.prefix(magic.count)) == Array(magic.prefix(preamble.count)) else {
            throw fail(.notARecording)
        }
        guard preamble.count == RecordingFormat.preambleSize else { throw fail(.truncatedHeader) }
        var r = RecordingByteReader(Array(preamble), offset: RecordingFormat.magic.count)
        let version = UInt16(try r.byte()) | UInt16(try r.byte()) << 8
        let length = Int(try r.u32())
        guard length <= RecordingLimits.header else {
            throw fail(.corrupted(offset: RecordingFormat.magic.count + 2, reason: "a header of \(length) bytes"))
        }
        let end = RecordingFormat.preambleSize + length + 4
        guard end <= size else { throw fail(.truncatedHeader) }
        let all = try read(fd: fd, at: 0, count: end, path: path)
        guard all.count == end else { throw fail(.truncatedHeader) }  // it shrank since fstat
        var crc = RecordingByteReader(all, offset: end - 4)
        guard try crc.u32() == Zlib.crc32(all[0..<(end - 4)]) else {
            throw fail(.corrupted(offset: 0, reason: "the header's checksum does not match"))
        }
        // Checked after the checksum: a damaged version field is damage, not a newer format.
        guard version >= 1 else { throw fail(.corrupted(offset: 8, reason: "format version 0")) }
        guard version <= RecordingFormat.version else { throw fail(.newerVersion(version)) }
        var body = RecordingByteReader(Array(all[RecordingFormat.preambleSize..<(end - 4)]))
        do throws(RecordingDamage) {
            let h = try RecordingHeader.decode(&body, version: version)
            guard body.atEnd else { throw RecordingDamage("bytes after the header's fields") }
            return (h, end)
        } catch {
            throw fail(.corrupted(offset: RecordingFormat.preambleSize + body.offset, reason: "the header: \(error.reason)"))
        }
    }

    private static func read(fd: FileDescriptor, at offset: Int, count: Int, path: String) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n: Int
            do throws(Errno) {
                n = try Errno.catching {
                    try out.withUnsafeMutableBytes { try fd.read(fromAbsoluteOffset: Int64(offset + done), into: UnsafeMutableRawBufferPointer(rebasing: $0[done...])) }
                }
            } catch {
                throw RecordingError(path: path, problem: .system(error))
            }
            if n == 0 { break }
            done += n
        }
        return Array(out.prefix(done))
    }

    // MARK: records

    private struct Frame {
        let offset: Int
        let type: RecordingFormat.RecordType
        let length: Int
        /// Empty when only the frame was read.
        let payload: [UInt8]
        var end: Int { offset + RecordingFormat.frameSize + length }
    }

    private func corrupted(_ at: Int, _ reason: String) -> RecordingError {
        RecordingError(path: path, problem: .corrupted(offset: at, reason: reason))
    }

    /// The record at `at`, checked; nil at the end of the file or (with `truncation` set) where
    /// the file ends inside a record. `payload` false reads and checks only the frame.
    private func frame(at: Int, payload wantPayload: Bool = true) throws -> Frame? {
        guard at < size else { return nil }
        let head = try Self.read(fd: fd, at: at, count: RecordingFormat.frameSize, path: path)
        guard head.count == RecordingFormat.frameSize else { return cut(at) }
        var r = RecordingByteReader(head)
        let length = Int(try r.u32())
        let typeByte = try r.byte()
        let reserved = Array(try r.take(3))
        let payloadCRC = try r.u32()
        guard try r.u32() == Zlib.crc32(head[0..<12]) else { throw corrupted(at, "a record's frame checksum does not match") }
        guard let type = RecordingFormat.RecordType(rawValue: typeByte), reserved == [0, 0, 0] else {
            throw corrupted(at, "record type \(typeByte)")
        }
        guard length <= RecordingLimits.record else { throw corrupted(at, "a record of \(length) bytes") }
        guard at + RecordingFormat.frameSize + length <= size else { return cut(at) }
        guard wantPayload else { return Frame(offset: at, type: type, length: length, payload: []) }
        let payload = try Self.read(fd: fd, at: at + RecordingFormat.frameSize, count: length, path: path)
        guard payload.count == length else { return cut(at) }
        guard Zlib.crc32(payload) == payloadCRC else {
            throw corrupted(at + RecordingFormat.frameSize, "a record's checksum does not match")
        }
        return Frame(offset: at, type: type, length: length, payload: payload)
    }

    private func cut(_ at: Int) -> Frame? {
        truncation = "the recording ends inside a record at byte \(at) of \(size) (cut short while it was written?); replayed up to the last complete sample"
        return nil
    }

    // MARK: samples

    /// The next sample, or nil at the end.
    public func next() throws -> RecordedSample? {
        guard let f = try frame(at: offset) else { return nil }
        var compressed = f.payload[...]
        switch f.type {
        case .blockStart:
            guard compressed.count >= 8 else { throw corrupted(f.offset, "a block start without its time") }
            compressed = compressed.dropFirst(8)
            inflater.reset()
            samples.reset()
            counters.reset()
            inBlock = true
        case .blockContinued:
            guard inBlock else { throw corrupted(f.offset, "a record continues a block that did not start") }
        }
        var sample: RecordedSample?
        do throws(RecordingDamage) {
            let bytes = try inflater.inflate(compressed, limit: RecordingLimits.inflated)
            sample = try decode(bytes)
        } catch {
            throw corrupted(f.offset, error.reason)
        }
        offset = f.end
        guard var s = sample else { throw corrupted(f.offset, "a record without a sample") }
        rates.annotate(&s.snapshot)
        if let c = s.counters {
            s.counterChanges = MPTCPCounterChange.between(lastCounters, c)
            lastCounters = c
        }
        return s
    }

    private func decode(_ bytes: [UInt8]) throws(RecordingDamage) -> RecordedSample? {
        var r = RecordingByteReader(bytes)
        var events = PathManagerEventBatch()
        var read: MPTCPCounters?
        var sample: Snapshot?
        while !r.atEnd {
            let kindByte = try r.byte()
            let length = try r.count(limit: RecordingLimits.inflated, minimumSize: 1, "message length")
            var body = RecordingByteReader(Array(try r.take(length)))
            guard let kind = RecordingFormat.MessageKind(rawValue: kindByte) else { throw RecordingDamage("message kind \(kindByte)") }
            guard sample == nil else { throw RecordingDamage("a message after the sample") }
            switch kind {
            case .setup: setup = try SetupCoding.decode(from: &body, namespace: header.namespace)
            case .events:
                let batch = try EventCoding.decode(from: &body)
                events.events += batch.events
                events.overrun = events.overrun || batch.overrun
            case .counters: read = try counters.decode(from: &body)
            case .sample: sample = try samples.decode(from: &body, namespace: header.namespace)
            }
            guard body.atEnd else { throw RecordingDamage("bytes after a message's fields") }
        }
        return sample.map { RecordedSample(snapshot: $0, events: events, counters: read, counterChanges: nil, setup: setup) }
    }

    // MARK: seeking

    /// Every block's start, found by reading the frames (and, with `verify`, checking every
    /// record's checksum: a replay that shows the dashboard refuses damage before it starts).
    public func blocks(verify: Bool = false) throws -> [Block] {
        if let blockIndex, !verify { return blockIndex }
        var out: [Block] = []
        var at = firstRecord
        while let f = try frame(at: at, payload: verify) {
            if f.type == .blockStart {
                let time = verify ? f.payload.prefix(8) : try Self.read(fd: fd, at: at + RecordingFormat.frameSize, count: 8, path: path)[...]
                guard time.count == 8 else { throw corrupted(at, "a block start without its time") }
                var r = RecordingByteReader(Array(time))
                do throws(RecordingDamage) {
                    out.append(Block(offset: at, time: try RecordingLimits.time(try r.double(), "a block's time")))
                } catch {
                    throw corrupted(at, error.reason)
                }
            } else if out.isEmpty {
                throw corrupted(at, "a record continues a block that did not start")
            }
            at = f.end
        }
        blockIndex = out
        return out
    }

    /// Goes back (or forward) to the start of the last block that began before `time`, so that
    /// the first sample at or after `time` comes with its rates: the samples before it in that
    /// block come first, and the caller skips (or replays quietly) what it does not want.
    public func rewind(before time: Double) throws {
        let all = try blocks()
        let block = all.last { $0.time < time } ?? all.first
        offset = block?.offset ?? firstRecord
        inBlock = false
        rates = RateTracker()
        lastCounters = nil
    }

    /// Back to the first sample.
    public func rewind() {
        offset = firstRecord
        inBlock = false
        rates = RateTracker()
        lastCounters = nil
    }
}
