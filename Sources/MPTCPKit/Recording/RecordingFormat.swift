import SystemPackage
/// The layout of a recording file (docs/recording.md): a header, then framed records, each
/// record one sample with what came with it. Numbers here are the format; changing one is a
/// new version.
public enum RecordingFormat {
    /// The first eight bytes of every recording.
    static let magic: [UInt8] = Array("MPTOPREC".utf8)
    /// The version this mptop writes and the newest it reads.
    public static let version: UInt16 = 1
    /// Magic, version (u16), header length (u32).
    static let preambleSize = 14
    /// Payload length (u32), type, three zero bytes, payload CRC32, CRC32 of these first 12 bytes.
    static let frameSize = 16

    /// What a record's payload is.
    enum RecordType: UInt8 {
        /// A new compressed stream: the block's first sample is a keyframe. The payload starts
        /// with that sample's wall-clock time (f64), for seeking without inflating.
        case blockStart = 1
        /// The next piece of the current block's stream.
        case blockContinued = 2
    }

    /// What a message inside a record's decompressed bytes is.
    enum MessageKind: UInt8 {
        case setup = 1
        case events = 2
        case counters = 3
        case sample = 4
    }
}

/// Sizes a reader accepts at most: a recording is a file someone may hand to mptop running as
/// root, so nothing in it decides how much memory is taken beyond these.
enum RecordingLimits {
    static let header = 64 * 1024
    /// A record's compressed payload.
    static let record = 64 << 20
    /// A record's bytes once inflated (10,000 connections keyframe well under this).
    static let inflated = 256 << 20
    static let text = 4096
    static let connections = 1_000_000
    static let subflows = 4096
    static let listeners = 100_000
    static let interfaces = 65_536
    static let events = 100_000
    static let rawAttributes = 256
    static let counters = 4096
    static let setupItems = 65_536
    /// Wall-clock times (Unix seconds) a reader takes: what the dashboard turns into clock text
    /// and durations must be a real time, not NaN, infinity or a year no clock reaches.
    static let times: ClosedRange<Double> = 0...1e11
    /// Seconds between samples.
    static let interval: ClosedRange<Double> = 0...86_400

    static func time(_ t: Double, _ what: String) throws(RecordingDamage) -> Double {
        guard times.contains(t) else { throw RecordingDamage("\(what) \(t) is not a time") }
        return t
    }
}

/// A problem inside the bytes of a record or header, without the file offset (the reader adds it).
struct RecordingDamage: Error, Sendable {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

/// Why a recording cannot be read, as one line that names the file.
public struct RecordingError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Problem: Equatable, Sendable {
        case system(Errno)
        case notRegularFile
        /// Does not start with the magic.
        case notARecording
        /// A version newer than this mptop reads.
        case newerVersion(UInt16)
        /// Ends inside the header.
        case truncatedHeader
        /// A checksum did not match, or the bytes do not decode: at this byte offset.
        case corrupted(offset: Int, reason: String)
        /// Readable, but not one complete sample in it.
        case empty
    }

    public let path: String
    public let problem: Problem

    public init(path: String, problem: Problem) {
        self.path = path
        self.problem = problem
    }

    public var description: String {
        let name = path.escapedForTerminal
        switch problem {
        case .system(let e): return "cannot read \(name): \(e.text)"
        case .notRegularFile: return "cannot read \(name): not a regular file"
        case .notARecording: return "\(name) is not an mptop recording"
        case .newerVersion(let v):
            return "\(name) is a recording of format version \(v); this mptop reads version \(RecordingFormat.version) and older (a newer mptop can replay it)"
        case .truncatedHeader: return "\(name) is not a complete recording: it ends inside its header"
        case .corrupted(let offset, let reason): return "\(name) is damaged at byte \(offset): \(reason)"
        case .empty: return "\(name) holds no complete sample"
        }
    }
}
