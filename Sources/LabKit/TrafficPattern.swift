/// The byte stream the traffic generator sends: a 16-byte header carrying a per-connection seed,
/// then pattern bytes that depend on the seed and on their offset in the stream.
///
/// Because every byte is a function of its offset, the receiver can check each one: a lost,
/// duplicated, reordered or corrupted byte changes what sits at some offset and is caught
/// (the chance of a wrong 8-byte word matching by accident is 2^-64). The per-connection seed
/// makes bytes from one connection delivered on another fail too.
///
/// Header: "mptp" (4 bytes), version 1 (1 byte), 3 zero bytes, seed (u64 little-endian).
public enum TrafficPattern {
    /// Bytes before the pattern starts.
    public static let headerSize = 16
    /// The header's first four bytes.
    public static let magic: [UInt8] = Array("mptp".utf8)
    /// The header's format version.
    public static let version: UInt8 = 1

    /// The header for a connection with `seed`.
    public static func header(seed: UInt64) -> [UInt8] {
        var bytes = magic + [version, 0, 0, 0]
        withUnsafeBytes(of: seed.littleEndian) { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// The seed in `header`, or nil when it is not a version-1 header.
    public static func seed(fromHeader header: [UInt8]) -> UInt64? {
        guard header.count == headerSize, Array(header[0..<4]) == magic, header[4] == version,
              header[5] == 0, header[6] == 0, header[7] == 0 else { return nil }
        var seed: UInt64 = 0
        for (shift, byte) in header[8..<16].enumerated() {
            seed |= UInt64(byte) << (UInt64(shift) * 8)
        }
        return seed
    }

    /// Pattern word `index` (bytes 8*index ..< 8*index+8 of the pattern, little-endian):
    /// SplitMix64, a cheap mixer whose output for consecutive indexes looks unrelated.
    @inline(__always)
    static func word(seed: UInt64, index: UInt64) -> UInt64 {
        var z = seed &+ (index &+ 1) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Pattern byte at `offset` (counted from the end of the header).
    @inline(__always)
    static func byte(seed: UInt64, offset: UInt64) -> UInt8 {
        UInt8(truncatingIfNeeded: word(seed: seed, index: offset >> 3) >> ((offset & 7) * 8))
    }

    /// Fills `buffer` with the stream bytes starting at `streamOffset` (header included) of the
    /// connection with `seed`.
    public static func fill(_ buffer: UnsafeMutableRawBufferPointer, streamOffset: UInt64, seed: UInt64) {
        var start = 0
        if streamOffset < UInt64(headerSize) {
            let header = header(seed: seed)
            let headerStart = Int(streamOffset)
            let count = min(buffer.count, headerSize - headerStart)
            for i in 0..<count { buffer[i] = header[headerStart + i] }
            start = count
        }
        guard start < buffer.count else { return }
        let payloadOffset = streamOffset + UInt64(start) - UInt64(headerSize)
        fillPayload(UnsafeMutableRawBufferPointer(rebasing: buffer[start...]), offset: payloadOffset, seed: seed)
    }

    /// Fills `buffer` with pattern bytes starting at pattern `offset`, a word at a time where the
    /// offset is word-aligned.
    static func fillPayload(_ buffer: UnsafeMutableRawBufferPointer, offset: UInt64, seed: UInt64) {
        let count = buffer.count
        var i = 0
        var position = offset
        while i < count && position & 7 != 0 {
            buffer[i] = byte(seed: seed, offset: position)
            i += 1; position += 1
        }
        while count - i >= 8 {
            buffer.storeBytes(of: word(seed: seed, index: position >> 3).littleEndian, toByteOffset: i, as: UInt64.self)
            i += 8; position += 8
        }
        while i < count {
            buffer[i] = byte(seed: seed, offset: position)
            i += 1; position += 1
        }
    }

    /// The index in `bytes` of the first byte that differs from the pattern at `offset`, or nil
    /// when all match.
    static func firstMismatch(in bytes: UnsafeRawBufferPointer, offset: UInt64, seed: UInt64) -> Int? {
        let count = bytes.count
        var i = 0
        var position = offset
        while i < count && position & 7 != 0 {
            if bytes[i] != byte(seed: seed, offset: position) { return i }
            i += 1; position += 1
        }
        while count - i >= 8 {
            let expected = word(seed: seed, index: position >> 3).littleEndian
            if bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self) != expected {
                // Narrow down to the byte for the message.
                for j in i..<(i + 8) where bytes[j] != byte(seed: seed, offset: position + UInt64(j - i)) {
                    return j
                }
            }
            i += 8; position += 8
        }
        while i < count {
            if bytes[i] != byte(seed: seed, offset: position) { return i }
            i += 1; position += 1
        }
        return nil
    }
}

/// Checks a received stream byte by byte against `TrafficPattern`.
public struct PatternVerifier: Sendable {
    /// Bytes received so far, the header included (so it compares with the kernel's counters).
    public private(set) var bytesReceived: UInt64 = 0
    /// Why the stream is not intact (first problem only), or nil while every byte matched.
    public private(set) var problem: String?
    /// The first wrong byte in detail, when that is the problem.
    public private(set) var mismatch: PatternMismatch?
    /// From the first wrong byte on, which sent bytes the received ones are, piece by piece, for
    /// as long as each next piece is found nearby (up to `piecesLimit`): whether the stream was
    /// reordered, and where skipped bytes turned up.
    public private(set) var delivered: [DeliveredPiece] = []
    private var following = false
    static let piecesLimit = 8
    private var header: [UInt8] = []
    private var seed: UInt64?
    private var ended = false

    public init() {}

    /// Whether every byte so far matched (and, after `finish()`, the stream was not cut inside
    /// its header). An empty stream is intact.
    public var intact: Bool { problem == nil }

    /// Checks the next `bytes` of the stream.
    public mutating func consume(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        let start = bytesReceived
        bytesReceived += UInt64(bytes.count)
        guard problem == nil else {
            if following, let seed { follow(bytes, from: 0, at: start, seed: seed) }
            return
        }
        var rest = bytes
        if seed == nil {
            let take = min(rest.count, TrafficPattern.headerSize - header.count)
            header.append(contentsOf: rest[0..<take])
            rest = UnsafeRawBufferPointer(rebasing: rest[take...])
            guard header.count == TrafficPattern.headerSize else { return }
            guard let parsed = TrafficPattern.seed(fromHeader: header) else {
                problem = "bad stream header (not mptop traffic)"
                return
            }
            seed = parsed
        }
        guard let seed, !rest.isEmpty else { return }
        let streamOffset = start + UInt64(bytes.count - rest.count)
        let offset = streamOffset - UInt64(TrafficPattern.headerSize)
        if let bad = TrafficPattern.firstMismatch(in: rest, offset: offset, seed: seed) {
            problem = "wrong byte at stream offset \(streamOffset + UInt64(bad))"
            let found = PatternMismatch.describe(read: rest, readOffset: streamOffset, index: bad, seed: seed)
            mismatch = found
            if let sentAt = found.foundAt {
                let at = found.streamOffset
                delivered = [DeliveredPiece(receivedAt: 0, sentAt: 0, length: at), DeliveredPiece(receivedAt: at, sentAt: sentAt)]
                following = true
                follow(rest, from: bad, at: streamOffset, seed: seed)
            }
        }
    }

    /// Follows the open last piece of `delivered` through `bytes` (stream offset `readOffset`)
    /// from `index` on: where it stops matching, looks for the sent bytes the next ones are.
    private mutating func follow(_ bytes: UnsafeRawBufferPointer, from index: Int, at readOffset: UInt64, seed: UInt64) {
        let header = UInt64(TrafficPattern.headerSize)
        var i = index
        while following, i < bytes.count, let piece = delivered.last {
            let received = readOffset + UInt64(i)
            let sent = piece.sentAt + (received - piece.receivedAt)
            let part = UnsafeRawBufferPointer(rebasing: bytes[i...])
            guard let bad = TrafficPattern.firstMismatch(in: part, offset: sent - header, seed: seed) else { return }
            let at = received + UInt64(bad)
            delivered[delivered.count - 1].length = at - piece.receivedAt
            following = false
            guard delivered.count < Self.piecesLimit, part.count - bad >= PatternMismatch.needleLength else { return }
            let needle = UnsafeRawBufferPointer(rebasing: part[bad..<(bad + PatternMismatch.needleLength)])
            guard let next = TrafficPattern.find(needle, near: sent - header + UInt64(bad), within: PatternMismatch.searchWindow, seed: seed)
            else { return }
            delivered.append(DeliveredPiece(receivedAt: at, sentAt: next + header))
            following = true
            i += bad
        }
    }

    /// `problem` with the details of a wrong byte, for reports.
    public var diagnosis: String? {
        guard let problem else { return nil }
        guard let mismatch else { return problem }
        guard delivered.count > 1 else { return "\(problem): \(mismatch)" }
        // E.g. "[0, 65160) [88752, 95000) [65160, 88752) [95000, ...)": sent ranges, received order.
        let pieces = delivered.map { piece in "[\(piece.sentAt), " + (piece.length.map { "\(piece.sentAt + $0))" } ?? "...)") }
        let lost = delivered.last?.length != nil ? " then not followed further" : ""
        return "\(problem): \(mismatch); received in this order, as sent stream offsets: "
            + pieces.joined(separator: " ") + lost
    }

    /// Marks the end of the stream: one that stopped inside its header is not intact.
    public mutating func finish() {
        guard !ended else { return }
        ended = true
        if problem == nil, bytesReceived > 0, seed == nil {
            problem = "stream ended inside its \(TrafficPattern.headerSize)-byte header"
        }
    }
}
