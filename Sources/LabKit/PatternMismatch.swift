/// The first byte of a stream that differs from `TrafficPattern`, with what tells a slip of the
/// reader's bookkeeping (a read not counted: at a read boundary, the total then short) from bytes
/// the kernel delivered wrong (mid-read, or a later offset's bytes with the total right; zeroed).
public struct PatternMismatch: Sendable, Equatable, CustomStringConvertible {
    /// Stream offset of the bad byte, header included.
    public let streamOffset: UInt64
    public let expected: UInt8
    public let received: UInt8
    /// The read that delivered it: stream offset of its first byte and its length.
    public let readOffset: UInt64
    public let readLength: Int
    /// Of the bytes from the bad one to the end of that read (up to `comparedLimit`), how many
    /// were compared and how many differ: 1 of many is a flipped byte, most of them a block.
    public let compared: Int
    public let differing: Int
    /// Stream offset where the pattern holds the received bytes that start at the bad one, when
    /// that is within `searchWindow` bytes either side: lost (later) or repeated (earlier) data.
    public let foundAt: UInt64?

    public init(streamOffset: UInt64, expected: UInt8, received: UInt8, readOffset: UInt64, readLength: Int,
                compared: Int, differing: Int, foundAt: UInt64?) {
        self.streamOffset = streamOffset
        self.expected = expected
        self.received = received
        self.readOffset = readOffset
        self.readLength = readLength
        self.compared = compared
        self.differing = differing
        self.foundAt = foundAt
    }

    static let comparedLimit = 64 * 1024
    static let searchWindow: UInt64 = 1 << 20
    /// Received bytes (from the bad one) looked for elsewhere in the pattern.
    static let needleLength = 16

    public var description: String {
        var text = "expected 0x" + Self.hex(expected) + ", got 0x" + Self.hex(received)
            + "; \(differing) of the \(compared) bytes from there differ"
            + "; in a read of \(readLength) bytes at stream offset \(readOffset)"
        if let foundAt {
            let shift = Int64(bitPattern: foundAt &- streamOffset)
            text += "; the bytes received there are the pattern's at offset \(foundAt) ("
                + (shift > 0 ? "\(shift) bytes missing" : "\(-shift) bytes repeated") + ")"
        } else if compared >= Self.needleLength {
            text += "; the bytes received there are not the pattern's within \(Self.searchWindow >> 20) MiB"
        }
        return text
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16)
        return digits.count == 1 ? "0" + digits : digits
    }

    /// Describes the mismatch at `index` of `read`: pattern bytes (no header) received in one
    /// read, the first at stream offset `readOffset`.
    static func describe(read: UnsafeRawBufferPointer, readOffset: UInt64, index: Int, seed: UInt64) -> PatternMismatch {
        let streamOffset = readOffset + UInt64(index)
        let offset = streamOffset - UInt64(TrafficPattern.headerSize)
        let compared = min(read.count - index, comparedLimit)
        var differing = 0
        for i in 0..<compared where read[index + i] != TrafficPattern.byte(seed: seed, offset: offset + UInt64(i)) {
            differing += 1
        }
        var foundAt: UInt64?
        if compared >= needleLength {
            let needle = UnsafeRawBufferPointer(rebasing: read[index..<(index + needleLength)])
            if let payloadOffset = TrafficPattern.find(needle, near: offset, within: searchWindow, seed: seed) {
                foundAt = payloadOffset + UInt64(TrafficPattern.headerSize)
            }
        }
        return PatternMismatch(streamOffset: streamOffset, expected: TrafficPattern.byte(seed: seed, offset: offset),
                               received: read[index], readOffset: readOffset, readLength: read.count,
                               compared: compared, differing: differing, foundAt: foundAt)
    }
}

extension TrafficPattern {
    /// The pattern offset within `window` bytes of `offset` (either side, not `offset` itself)
    /// where the pattern holds `needle`, nearest first; nil when there is none.
    static func find(_ needle: UnsafeRawBufferPointer, near offset: UInt64, within window: UInt64, seed: UInt64) -> UInt64? {
        let start = offset >= window ? offset - window : 0
        let length = Int(offset - start + window) + needle.count
        let haystack = UnsafeMutableRawBufferPointer.allocate(byteCount: length, alignment: 8)
        defer { haystack.deallocate() }
        fillPayload(haystack, offset: start, seed: seed)
        let center = Int(offset - start)
        let first = needle[0]
        func matches(_ at: Int) -> Bool {
            guard at >= 0, at + needle.count <= length, haystack[at] == first else { return false }
            for i in 1..<needle.count where haystack[at + i] != needle[i] { return false }
            return true
        }
        for distance in 1...Int(window) {
            if matches(center + distance) { return UInt64(center + distance) + start }
            if matches(center - distance) { return UInt64(center - distance) + start }
        }
        return nil
    }
}

/// A run of received bytes that are sent bytes from elsewhere in the stream: `length` bytes at
/// received stream offset `receivedAt` were sent at `sentAt` (nil length: still running).
public struct DeliveredPiece: Sendable, Equatable {
    public let receivedAt: UInt64
    public let sentAt: UInt64
    public var length: UInt64?

    public init(receivedAt: UInt64, sentAt: UInt64, length: UInt64? = nil) {
        self.receivedAt = receivedAt
        self.sentAt = sentAt
        self.length = length
    }
}
