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
    private let fd: Int32

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    deinit { close(fd) }

    /// Opens `path` after checking it; with `create` a missing directory is made (0700).
    /// Nil when it does not exist and `create` is false; a one-line error when it is not safe.
    public static func open(_ path: String, create: Bool) throws -> PrivateDirectory? {
        var fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 && errno == ENOENT {
            guard create else { return nil }
            if mkdir(path, 0o700) != 0 && errno != EEXIST {
                throw MPTopError.io("cannot create \(path): \(MPTopError.errnoText(errno))")
            }
            fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        }
        guard fd >= 0 else {
            let why = errno == ELOOP || errno == ENOTDIR ? "not a directory (a symlink or a file)" : MPTopError.errnoText(errno)
            throw MPTopError.io("cannot use \(path): \(why)")
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else { close(fd); throw MPTopError.io("cannot use \(path): \(MPTopError.errnoText(errno))") }
        if st.st_uid != geteuid() || st.st_mode & 0o077 != 0 {
            close(fd)
            throw MPTopError.io("will not use \(path): it must be a directory owned by uid \(geteuid()) with mode 0700, "
                + "it is owned by uid \(st.st_uid) with mode \(String(st.st_mode & 0o7777, radix: 8))")
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
        let file = openat(fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard file >= 0 else {
            if errno == ENOENT { return nil }
            throw MPTopError.io("\(path)/\(name): " + (errno == ELOOP ? "a symlink" : MPTopError.errnoText(errno)))
        }
        defer { close(file) }
        var st = stat()
        guard fstat(file, &st) == 0 else { throw MPTopError.io("\(path)/\(name): \(MPTopError.errnoText(errno))") }
        guard st.st_mode & S_IFMT == S_IFREG else { throw MPTopError.io("\(path)/\(name): not a regular file") }
        guard st.st_uid == geteuid(), st.st_mode & 0o077 == 0, st.st_nlink == 1 else {
            throw MPTopError.io("\(path)/\(name): owned by uid \(st.st_uid) with mode \(String(st.st_mode & 0o7777, radix: 8)) "
                + "and \(st.st_nlink) link(s); only a file of uid \(geteuid()), mode 0600, one link is read")
        }
        do {
            return try TextFile.bytes(descriptor: file, path: "\(path)/\(name)", limit: limit)
        } catch {
            throw MPTopError.io("\(error)")
        }
    }

    /// Replaces `name` with `text` atomically: readers see the old file or the new one.
    public func write(_ name: String, _ text: String) throws {
        let temporary = ".\(name).\(getpid()).new"
        unlinkat(fd, temporary, 0) // left by a run of this pid that died mid-write
        do {
            try AtomicFile.replace(name, in: fd, through: temporary, leftover: .refuse, mode: 0o600, with: Array(text.utf8))
        } catch let f as AtomicFile.Failure {
            throw MPTopError.io("cannot write \(path)/\(f.creatingTemporary ? temporary : name): \(MPTopError.errnoText(f.errno))")
        }
        fsync(fd) // the rename itself survives a crash
    }

    public func remove(_ name: String) {
        unlinkat(fd, name, 0)
    }
}

extension PrivateDirectory {
    /// A new directory under `parent` with a name nobody could have guessed or taken (mkdtemp:
    /// mode 0700, created here and now), for files that live only until `removeAll()`: a debug
    /// bundle before it is archived. `parent` is fixed by the caller, never `$TMPDIR`.
    public static func temporary(in parent: String = "/tmp", prefix: String) throws -> PrivateDirectory {
        var template = Array("\(parent)/\(prefix)XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else { throw MPTopError.io("cannot create a directory in \(parent): \(MPTopError.errnoText(errno))") }
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let directory = try open(path, create: false) else {
            throw MPTopError.io("cannot use \(path): \(MPTopError.errnoText(ENOENT))")
        }
        return directory
    }

    /// A new directory `name` in this one (mode 0700; refused when the name is taken).
    public func makeDirectory(_ name: String) throws -> PrivateDirectory {
        guard mkdirat(fd, name, 0o700) == 0 else { throw MPTopError.io("cannot create \(path)/\(name): \(MPTopError.errnoText(errno))") }
        let sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard sub >= 0 else { throw MPTopError.io("cannot use \(path)/\(name): \(MPTopError.errnoText(errno))") }
        return PrivateDirectory(path: "\(path)/\(name)", fd: sub)
    }

    /// Creates the new file `name` (O_EXCL|O_NOFOLLOW, mode 0600) for writing piece by piece,
    /// as a stream that takes longer than one write; the caller closes the descriptor.
    public func create(_ name: String) throws -> Int32 {
        let file = openat(fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard file >= 0 else { throw MPTopError.io("cannot create \(path)/\(name): \(MPTopError.errnoText(errno))") }
        return file
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
            if unlinkat(fd, name, 0) == 0 { continue }
            // A directory (EISDIR) is emptied through its own descriptor, then removed.
            guard errno == EISDIR else { continue }
            let sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard sub >= 0 else { continue }
            PrivateDirectory(path: "\(path)/\(name)", fd: sub).removeContents()
            unlinkat(fd, name, AT_REMOVEDIR)
        }
    }
}
