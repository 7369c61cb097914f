import SystemPackage

/// Small text files without Foundation: /proc files (whose size reads as 0, so they are read to
/// end of file), theme files, journals.
public enum TextFile {
    /// Why a file could not be read.
    public struct ReadError: Error, CustomStringConvertible, Equatable {
        public enum Problem: Equatable, Sendable {
            case system(Errno)
            /// Larger than the caller allows.
            case tooLarge
            /// A FIFO, device, socket or directory: reading one could block forever or never end.
            case notRegularFile
        }

        public let path: String
        public let problem: Problem

        /// The reason alone ("Permission denied"), for messages that name the file themselves.
        public var reason: String {
            switch problem {
            case .system(let e): return e.text
            case .tooLarge: return "larger than expected"
            case .notRegularFile: return "not a regular file"
            }
        }
        public var description: String { "cannot read \(path): \(reason)" }
    }

    /// The whole file as UTF-8 (invalid bytes replaced); nil when it does not exist. Reading
    /// stops with an error past `limit` bytes, so a wrong path cannot eat memory. Only regular
    /// files are read (/proc files are regular): opening is non-blocking, so a path naming a
    /// FIFO with no writer fails at once instead of hanging mptop in open().
    public static func read(_ path: String, limit: Int = 1 << 20) throws -> String? {
        let fd: FileDescriptor
        do throws(Errno) {
            fd = try Errno.catching { try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec, .nonBlocking]) }
        } catch {
            if error == .noSuchFileOrDirectory { return nil }
            throw ReadError(path: path, problem: .system(error))
        }
        defer { try? fd.close() }
        let type: FileType
        do { type = try fd.stat().type } catch { throw ReadError(path: path, problem: .system(error)) }
        guard type == .regular else { throw ReadError(path: path, problem: .notRegularFile) }
        return try read(descriptor: fd, path: path, limit: limit)
    }

    /// The rest of an open file as UTF-8, for callers that open (and check) it themselves;
    /// `path` only names it in errors. The descriptor stays open.
    public static func read(descriptor fd: FileDescriptor, path: String, limit: Int = 1 << 20) throws -> String {
        String(decoding: try bytes(descriptor: fd, path: path, limit: limit), as: UTF8.self)
    }

    /// The rest of an open file as bytes, with the same limit (an archive is not text).
    public static func bytes(descriptor fd: FileDescriptor, path: String, limit: Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let n: Int
            do throws(Errno) { n = try Errno.catching { try chunk.withUnsafeMutableBytes { try fd.read(into: $0) } } } catch {
                throw ReadError(path: path, problem: .system(error))
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > limit { throw ReadError(path: path, problem: .tooLarge) }
        }
        return bytes
    }
}
