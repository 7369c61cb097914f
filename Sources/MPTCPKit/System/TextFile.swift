#if canImport(Glibc)
import Glibc
#endif

/// Small text files without Foundation: /proc files (whose size reads as 0, so they are read to
/// end of file), theme files, journals.
public enum TextFile {
    /// Why a file could not be read: its errno, or that it is larger than the caller allows.
    public struct ReadError: Error, CustomStringConvertible, Equatable {
        public let path: String
        /// 0 when the file was too large.
        public let errno: Int32

        /// The reason alone ("Permission denied"), for messages that name the file themselves.
        public var reason: String { errno == 0 ? "larger than expected" : MPTopError.errnoText(errno) }
        public var description: String { "cannot read \(path): \(reason)" }
    }

    /// The whole file as UTF-8 (invalid bytes replaced); nil when it does not exist. Reading
    /// stops with an error past `limit` bytes, so a wrong path cannot eat memory.
    public static func read(_ path: String, limit: Int = 1 << 20) throws -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw ReadError(path: path, errno: errno)
        }
        defer { close(fd) }
        return try read(descriptor: fd, path: path, limit: limit)
    }

    /// The rest of an open file as UTF-8, for callers that open (and check) it themselves;
    /// `path` only names it in errors. The descriptor stays open.
    public static func read(descriptor fd: Int32, path: String, limit: Int = 1 << 20) throws -> String {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ReadError(path: path, errno: errno)
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > limit { throw ReadError(path: path, errno: 0) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
