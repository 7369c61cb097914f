#if canImport(Glibc)
import Glibc
#endif

/// Finds the process that owns a socket inode by scanning /proc/PID/fd, as `ss -p` does.
///
/// A full scan costs one readlink per open descriptor on the host, so results are cached:
/// an inode seen in a dump is the same live socket as before, and the scan only runs again
/// when inodes appear that the cache does not know (at most once per `rescanInterval`).
public final class ProcessTable {
    private var owners: [UInt32: ProcessRef] = [:]
    private var missing: Set<UInt32> = []
    private var lastScan: UInt64 = 0
    public var rescanInterval: UInt64 = 2_000_000_000

    public init() {}

    /// Owners of `inodes` (those found; it may also hold sockets that went lately). `now` is
    /// monotonic nanoseconds.
    public func owners(of inodes: [UInt32], now: UInt64) -> [UInt32: ProcessRef] {
        // The usual sample knows every owner already: one look at each inode, and the set of
        // wanted inodes is built only for a scan or a pruning (10,000 inserts a sample saved).
        var unknown = false, unowned = false, sockets = 0
        for inode in inodes where inode != 0 {
            sockets += 1
            guard owners[inode] == nil else { continue }
            unowned = true
            if !missing.contains(inode) { unknown = true }
        }
        var wanted: Set<UInt32>?
        func wantedSet() -> Set<UInt32> {
            if let wanted { return wanted }
            let made = Set(inodes.filter { $0 != 0 })
            wanted = made
            return made
        }
        if unknown || (unowned && now &- lastScan >= rescanInterval) {
            scan(for: wantedSet())
            lastScan = now
            missing = wantedSet().filter { owners[$0] == nil }
        }
        // Forget sockets that are gone so the cache does not grow without bound; not at every
        // sample (a copy of 10,000 entries), but once as many have gone as are wanted (counted
        // without a set: a dump names each socket once).
        if owners.count > 2 * sockets + 64 {
            let keep = wantedSet()
            owners = owners.filter { keep.contains($0.key) }
        }
        return owners
    }

    /// One pass over /proc/*/fd. It runs once for 10,000 sockets at start-up, so it avoids what
    /// a profile showed per descriptor: no String for names or paths, each link read relative
    /// to its fd directory (readlinkat, not a walk from / through /proc/PID/fd for every one);
    /// and it stops once every wanted socket has its owner (pids come in ascending order, so the
    /// lowest pid still wins, as in ss).
    private func scan(for wanted: Set<UInt32>) {
        let proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard proc >= 0 else { return }
        guard let procDir = fdopendir(proc) else { close(proc); return }
        defer { closedir(procDir) }
        var remaining = wanted.reduce(0) { $0 + (owners[$1] == nil ? 1 : 0) }
        var path = [CChar](repeating: 0, count: 32)
        var link = [CChar](repeating: 0, count: 64)
        while remaining > 0, let entry = readdir(procDir) {
            let pidName = Self.name(of: entry)
            guard let pid = Self.decimal(pidName) else { continue }
            // "PID/fd", relative to /proc.
            var length = 0
            while pidName[length] != 0 { path[length] = pidName[length]; length += 1 }
            for c in "/fd".utf8 { path[length] = CChar(bitPattern: c); length += 1 }
            path[length] = 0
            let fdDirFD = openat(proc, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fdDirFD >= 0 else { continue } // gone, or not ours to read
            guard let dir = fdopendir(fdDirFD) else { close(fdDirFD); continue }
            var name: String?
            while let fdEntry = readdir(dir) {
                let fdName = Self.name(of: fdEntry)
                guard fdName[0] >= 0x30 && fdName[0] <= 0x39 else { continue }
                let n = readlinkat(fdDirFD, fdName, &link, link.count - 1)
                guard n > 9, let inode = Self.socketInode(link, count: n), wanted.contains(inode) else { continue }
                if name == nil { name = Self.comm(pid) }
                // The first (lowest) pid wins when a socket is shared after fork, as in ss.
                if owners[inode] == nil {
                    owners[inode] = ProcessRef(pid: pid, name: name ?? "?")
                    remaining -= 1
                }
            }
            closedir(dir)
        }
    }

    /// A directory entry's name, in place.
    private static func name(of entry: UnsafeMutablePointer<dirent>) -> UnsafePointer<CChar> {
        UnsafeRawPointer(entry).advanced(by: MemoryLayout<dirent>.offset(of: \dirent.d_name)!).assumingMemoryBound(to: CChar.self)
    }

    /// A pid directory's name as a number; nil for anything else in /proc.
    private static func decimal(_ name: UnsafePointer<CChar>) -> Int32? {
        var v: Int32 = 0
        var i = 0
        while name[i] != 0 {
            let d = UInt8(bitPattern: name[i]) &- 48
            guard d < 10, i < 9 else { return nil }
            v = v * 10 + Int32(d)
            i += 1
        }
        return i > 0 ? v : nil
    }

    /// Parses `socket:[12345]`.
    static func socketInode(_ link: [CChar], count: Int) -> UInt32? {
        let prefix: [CChar] = Array("socket:[".utf8CString.dropLast())
        guard count > prefix.count + 1, Array(link[0..<prefix.count]) == prefix, link[count - 1] == CChar(UInt8(ascii: "]")) else { return nil }
        var v: UInt32 = 0
        for i in prefix.count..<(count - 1) {
            let d = UInt8(bitPattern: link[i]) &- 48
            guard d < 10 else { return nil }
            v = v &* 10 &+ UInt32(d)
        }
        return v
    }

    /// The command name (at most 15 bytes and a newline).
    static func comm(_ pid: Int32) -> String? {
        guard let text = (try? TextFile.read("/proc/\(pid)/comm", limit: 64)) ?? nil else { return nil }
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }
}
