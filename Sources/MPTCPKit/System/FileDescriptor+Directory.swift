import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// The calls swift-system 1.8 does not wrap that mptop needs: those relative to an open
/// directory (openat, mkdirat, renameat, linkat, unlinkat) and fsync. Each is wrapped once
/// here the way swift-system wraps its own: a typed `Errno`, retried when a signal interrupts it.
extension FileDescriptor {
    /// The current directory, for the same calls on plain paths.
    public static var currentDirectory: FileDescriptor { FileDescriptor(rawValue: AT_FDCWD) }

    /// `name` in this directory (openat).
    public func open(_ name: String, _ mode: AccessMode, options: OpenOptions = [],
                     permissions: FilePermissions? = nil) throws(Errno) -> FileDescriptor {
        let flags = mode.rawValue | options.rawValue
        return FileDescriptor(rawValue: try retryingInterrupts { openat(rawValue, name, flags, permissions?.rawValue ?? 0) })
    }

    /// A new directory `name` in this one (mkdirat).
    public func makeDirectory(_ name: String, permissions: FilePermissions) throws(Errno) {
        _ = try retryingInterrupts { mkdirat(rawValue, name, permissions.rawValue) }
    }

    /// Renames `name` over `target`, both in this directory (renameat).
    public func rename(_ name: String, to target: String) throws(Errno) {
        _ = try retryingInterrupts { renameat(rawValue, name, rawValue, target) }
    }

    /// Links `name` as `target`, both in this directory; never replaces `target` (linkat).
    public func link(_ name: String, as target: String) throws(Errno) {
        _ = try retryingInterrupts { linkat(rawValue, name, rawValue, target, 0) }
    }

    /// Removes the file `name` in this directory, or the empty directory with `directory` (unlinkat).
    public func remove(_ name: String, directory: Bool = false) throws(Errno) {
        _ = try retryingInterrupts { unlinkat(rawValue, name, directory ? AT_REMOVEDIR : 0) }
    }

    /// Flushes the file (or, for a directory, its entries) to disk (fsync).
    public func sync() throws(Errno) {
        _ = try retryingInterrupts { fsync(rawValue) }
    }
}

/// Calls `body` again while it fails with EINTR; its result, or the `Errno` it failed with.
/// The one retry loop for the calls swift-system does not wrap (its own take `retryOnInterrupt`):
/// these here, waitpid, and LabKit's socket calls.
public func retryingInterrupts<Result: FixedWidthInteger>(_ body: () -> Result) throws(Errno) -> Result {
    while true {
        let result = body()
        if result != -1 { return result }
        let e = Errno.current
        guard e == .interrupted else { throw e }
    }
}
