import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// A directory of mptop's own state (undo journals, lab markers) that mptop, running as root,
/// may act on: owned by the effective user, mode 0700, not a symlink. It is opened once and every
/// file is reached through that descriptor (openat, renameat, unlinkat), so a path swapped
/// afterwards cannot redirect a read or a write. Files in it are written atomically (a fresh
/// O_EXCL|O_NOFOLLOW 0600 file renamed into place) and read only when they are regular files of
/// that user with mode 0600 or tighter and one link: a file nobody but root could have written.
public final class PrivateDirectory {
    /// mptop's own: journals, and lab markers below it.
    public static let runDirectory = "/run/mptop"

    public let path: String
    private let fd: FileDescriptor

    private init(path: String, fd: FileDescriptor) {
        self.path = path
        self.fd = fd
    }

    deinit { try? fd.close() }

    /// How a directory of mptop's is opened: never through a symlink.
    private static let directoryOptions: FileDescriptor.OpenOptions = [.directory, .noFollow, .closeOnExec]

    /// Opens `path` after checking it; with `create` a missing directory is made (0700).
    /// Nil when it does not exist and `create` is false; a one-line error when it is not safe.
    public static func open(_ path: String, create: Bool) throws -> PrivateDirectory? {
        func opened() throws(Errno) -> FileDescriptor {
            try Errno.catching { try FileDescriptor.open(FilePath(path), .readOnly, options: directoryOptions) }
        }
        var result: Result<FileDescriptor, Errno> = Result { () throws(Errno) in try opened() }
        if case .failure(.noSuchFileOrDirectory) = result {
            guard create else { return nil }
            do { try FileDescriptor.currentDirectory.makeDirectory(path, permissions: .ownerReadWriteExecute) } catch {
                if error != .fileExists { throw SystemCallError(.create, path, error) }
            }
            result = Result { () throws(Errno) in try opened() }
        }
        let fd: FileDescriptor
        switch result {
        case .success(let opened): fd = opened
        case .failure(let e) where e == .tooManySymbolicLinkLevels || e == .notDirectory:
            throw MPTopError.io("cannot use \(path): not a directory (a symlink or a file)")
        case .failure(let e): throw SystemCallError(.use, path, e)
        }
        let st: Stat
        do { st = try fd.stat() } catch { try? fd.close(); throw SystemCallError(.use, path, error) }
        if st.userID.rawValue != geteuid() || st.permissions.rawValue & 0o077 != 0 {
            try? fd.close()
            throw MPTopError.io("will not use \(path): it must be a directory owned by uid \(geteuid()) with mode 0700, "
                + "it is owned by uid \(st.userID.rawValue) with mode \(st.modeText)")
        }
        return PrivateDirectory(path: path, fd: fd)
    }

    public func names() -> [String] { DirectoryEntries.names(descriptor: fd) ?? [] }

    /// The file `name`, nil when it does not exist. Throws (the reason, one line) when it is not
    /// a file mptop can have written: a symlink, not a regular file, another owner, readable or
    /// writable by others, or hard-linked.
    public func read(_ name: String, limit: Int = 64 * 1024) throws -> String? {
        try bytes(name, limit: limit).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The file `name` as bytes (an archive), with the same checks as `read`.
    public func bytes(_ name: String, limit: Int) throws -> [UInt8]? {
        let file: FileDescriptor
        do { file = try fd.open(name, .readOnly, options: [.noFollow, .nonBlocking, .closeOnExec]) } catch {
            if error == .noSuchFileOrDirectory { return nil }
            if error == .tooManySymbolicLinkLevels { throw MPTopError.io("\(path)/\(name): a symlink") }
            throw SystemCallError(.access, "\(path)/\(name)", error)
        }
        defer { try? file.close() }
        let st: Stat
        do { st = try file.stat() } catch { throw SystemCallError(.access, "\(path)/\(name)", error) }
        guard st.type == .regular else { throw MPTopError.io("\(path)/\(name): not a regular file") }
        guard st.userID.rawValue == geteuid(), st.permissions.rawValue & 0o077 == 0, st.linkCount == 1 else {
            throw MPTopError.io("\(path)/\(name): owned by uid \(st.userID.rawValue) with mode \(st.modeText) "
                + "and \(st.linkCount) link(s); only a file of uid \(geteuid()), mode 0600, one link is read")
        }
        return try TextFile.bytes(descriptor: file, path: "\(path)/\(name)", limit: limit)
    }

    /// Replaces `name` with `text` atomically: readers see the old file or the new one.
    public func write(_ name: String, _ text: String) throws {
        let temporary = ".\(name).\(getpid()).new"
        try? fd.remove(temporary) // left by a run of this pid that died mid-write
        do {
            try AtomicFile.replace(name, in: fd, through: temporary, leftover: .refuse, mode: 0o600, with: Array(text.utf8))
        } catch {
            throw SystemCallError(.write, "\(path)/\(error.creatingTemporary ? temporary : name)", error.errno)
        }
        try? fd.sync() // the rename itself survives a crash
    }

    public func remove(_ name: String) {
        try? fd.remove(name)
    }
}

extension PrivateDirectory {
    /// A new directory under `parent` with a name nobody could have guessed or taken (mkdtemp:
    /// mode 0700, created here and now), for files that live only until `removeAll()`: a debug
    /// bundle before it is archived. `parent` is fixed by the caller, never `$TMPDIR`.
    public static func temporary(in parent: String = "/tmp", prefix: String) throws -> PrivateDirectory {
        var template = Array("\(parent)/\(prefix)XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else { throw SystemCallError(.createDirectoryIn, parent, .current) }
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let directory = try open(path, create: false) else {
            throw SystemCallError(.use, path, .noSuchFileOrDirectory)
        }
        return directory
    }

    /// A new directory `name` in this one (mode 0700; refused when the name is taken).
    public func makeDirectory(_ name: String) throws -> PrivateDirectory {
        do { try fd.makeDirectory(name, permissions: .ownerReadWriteExecute) } catch {
            throw SystemCallError(.create, "\(path)/\(name)", error)
        }
        do {
            return PrivateDirectory(path: "\(path)/\(name)", fd: try fd.open(name, .readOnly, options: Self.directoryOptions))
        } catch {
            throw SystemCallError(.use, "\(path)/\(name)", error)
        }
    }

    /// Creates the new file `name` (O_EXCL|O_NOFOLLOW, mode 0600) for writing piece by piece,
    /// as a stream that takes longer than one write; the caller closes the descriptor.
    public func create(_ name: String) throws -> FileDescriptor {
        do {
            return try fd.open(name, .writeOnly, options: [.create, .exclusiveCreate, .noFollow, .closeOnExec], permissions: .ownerReadWrite)
        } catch {
            throw SystemCallError(.create, "\(path)/\(name)", error)
        }
    }

    /// Removes everything in the directory, its own subdirectories too, then the directory
    /// itself: a temporary directory's end, on success, error or signal alike. Entries are
    /// reached through the open descriptors, so a path swapped meanwhile is not followed.
    public func removeAll() {
        removeContents()
        rmdir(path)
    }

    private func removeContents() {
        for name in names() {
            do { try fd.remove(name) } catch {
                // A directory (EISDIR) is emptied through its own descriptor, then removed.
                guard error == .isDirectory, let sub = try? fd.open(name, .readOnly, options: Self.directoryOptions) else { continue }
                PrivateDirectory(path: "\(path)/\(name)", fd: sub).removeContents()
                try? fd.remove(name, directory: true)
            }
        }
    }
}

extension Stat {
    /// The permission bits in octal, as messages about a file's mode say them ("600").
    var modeText: String { String(permissions.rawValue & 0o7777, radix: 8) }
}
