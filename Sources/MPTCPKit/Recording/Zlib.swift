import CZlib

/// The system zlib's pieces a recording uses: one deflate stream per block, flushed at the end
/// of every record (so each record's bytes inflate on their own once the ones before them
/// have), and CRC32 for the frames.
enum Zlib {
    static func crc32(_ bytes: some Collection<UInt8>) -> UInt32 {
        var a = Array(bytes)
        return a.withUnsafeMutableBufferPointer { UInt32(CZlib.crc32(0, $0.baseAddress, UInt32($0.count))) }
    }

    /// Zlib failed where it cannot for valid arguments (out of memory).
    struct Failure: Error, CustomStringConvertible {
        let code: Int32
        var description: String { "zlib error \(code)" }
    }

    final class Deflater {
        private var stream = z_stream()

        init(level: Int32 = 6) throws {
            let code = deflateInit_(&stream, level, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
            guard code == Z_OK else { throw Failure(code: code) }
        }

        deinit { deflateEnd(&stream) }

        /// Starts a new stream: what follows does not refer to anything before.
        func reset() { deflateReset(&stream) }

        /// Compresses `input` and flushes (Z_SYNC_FLUSH): the output ends on a byte boundary
        /// with all of `input` in it.
        func compress(_ input: [UInt8]) throws -> [UInt8] {
            var out: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: max(4096, input.count / 2 + 64))
            var input = input
            try input.withUnsafeMutableBufferPointer { inp in
                stream.next_in = inp.baseAddress
                stream.avail_in = UInt32(inp.count)
                repeat {
                    let produced = try chunk.withUnsafeMutableBufferPointer { o -> Int in
                        stream.next_out = o.baseAddress
                        stream.avail_out = UInt32(o.count)
                        let code = deflate(&stream, Z_SYNC_FLUSH)
                        guard code == Z_OK || code == Z_BUF_ERROR else { throw Failure(code: code) }
                        return o.count - Int(stream.avail_out)
                    }
                    out.append(contentsOf: chunk[0..<produced])
                } while stream.avail_out == 0
                stream.next_in = nil
            }
            return out
        }
    }

    final class Inflater {
        private var stream = z_stream()

        init() throws {
            let code = inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
            guard code == Z_OK else { throw Failure(code: code) }
        }

        deinit { inflateEnd(&stream) }

        func reset() { inflateReset(&stream) }

        /// Inflates one record's bytes; damage (not a deflate stream, more than `limit` bytes)
        /// is a `RecordingDamage`.
        func inflate(_ input: ArraySlice<UInt8>, limit: Int) throws(RecordingDamage) -> [UInt8] {
            var out: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 64 * 1024)
            var input = Array(input)
            var failure: RecordingDamage?
            input.withUnsafeMutableBufferPointer { inp in
                stream.next_in = inp.baseAddress
                stream.avail_in = UInt32(inp.count)
                while true {
                    let (code, produced) = chunk.withUnsafeMutableBufferPointer { o -> (Int32, Int) in
                        stream.next_out = o.baseAddress
                        stream.avail_out = UInt32(o.count)
                        let code = CZlib.inflate(&stream, Z_SYNC_FLUSH)
                        return (code, o.count - Int(stream.avail_out))
                    }
                    out.append(contentsOf: chunk[0..<produced])
                    if out.count > limit { failure = RecordingDamage("inflates to more than \(limit >> 20) MiB"); break }
                    if code == Z_STREAM_END { if stream.avail_in != 0 { failure = RecordingDamage("bytes after the end of the compressed stream") }; break }
                    if code == Z_BUF_ERROR || (code == Z_OK && stream.avail_in == 0 && stream.avail_out != 0) { break }
                    guard code == Z_OK else { failure = RecordingDamage("the compressed bytes do not inflate (zlib \(code))"); break }
                }
                stream.next_in = nil
            }
            if let failure { throw failure }
            return out
        }
    }
}
