import MPTCPKit

/// `mptop replay FILE --json`: the recorded samples as `mptop --json` printed them live, one
/// object per line, optionally only those from `from` to `to` (seconds since the first sample).
public enum RecordingJSON {
    /// Prints the samples; returns how many. A cut recording ends with `reader.truncation` set.
    public static func print(_ reader: RecordingReader, from: Double? = nil, to: Double? = nil) throws -> Int {
        guard let first = try reader.next() else { throw RecordingError(path: reader.path, problem: .empty) }
        let origin = first.snapshot.time
        var next: RecordedSample? = first
        if let from, from > 0 {
            // Back to the block before the first wanted sample, so its rates are there.
            try reader.rewind(before: origin + from)
            next = try reader.next()
        }
        var printed = 0
        var buffer: [UInt8] = []
        while let s = next {
            let offset = s.snapshot.time - origin
            if let to, offset > to { break }
            if offset >= (from ?? 0) {
                try SnapshotJSON.printLine(s.snapshot, buffer: &buffer)
                printed += 1
            }
            next = try reader.next()
        }
        return printed
    }
}
