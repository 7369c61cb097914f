#if canImport(Glibc)
import Glibc
#endif
import Synchronization

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
        if let started = early {
            early = nil
            let wanted = Set(inodes.filter { $0 != 0 })
            finish(started, wanted: wanted)
            lastScan = now
            missing = wanted.filter { owners[$0] == nil }
        }
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

    /// Starts the first scan now, on a thread of its own, before the sample has named the
    /// sockets whose owners it wants: at 10,000 connections the scan reads a link per
    /// descriptor (20,000 in the lab, 3 µs each) and was the longest part of `mptop --once`,
    /// started only once the MPTCP dump was decoded (README, "Performance"). Until `owners(of:)`
    /// hands it the inodes, it notes every socket descriptor it passes; from then on it keeps
    /// the wanted ones alone and stops once all have an owner, as a scan started later does.
    /// Only for a table that has not scanned yet (the first sample); otherwise it does nothing.
    public func startScan() {
        guard early == nil, lastScan == 0, owners.isEmpty else { return }
        let scan = EarlyScan()
        scan.thread = BackgroundThread { scan.run() }
        early = scan
    }

    /// A scan started before its wanted set was known (`startScan`).
    private(set) var early: EarlyScan?

    final class EarlyScan: @unchecked Sendable {
        /// The inodes wanted, handed in by `owners(of:)` while the walk goes on.
        let mailbox = Mutex<Set<UInt32>?>(nil)
        var thread: BackgroundThread<Void>?
        /// Filled by the walk; read after `thread` was joined.
        var owners: [UInt32: ProcessRef] = [:]
        /// Socket descriptors passed before the wanted set came, in walk order.
        var seen: [(inode: UInt32, pid: Int32)] = []
        /// The pids below this one were walked before the wanted set came (all, if it never
        /// came during the walk): a socket opened meanwhile in one of them was not seen.
        var wantedFrom: Int32 = .max

        func run() {
            var wanted: Set<UInt32>?
            var remaining = 0
            var names = ProcessTable.Names()
            ProcessTable.walk(stopBefore: { pid in
                if wanted == nil, let handed = mailbox.withLock({ $0 }) {
                    wanted = handed
                    wantedFrom = pid
                    for s in seen where handed.contains(s.inode) && owners[s.inode] == nil {
                        owners[s.inode] = ProcessRef(pid: s.pid, name: names.name(s.pid))
                    }
                    remaining = handed.count - owners.count
                    seen = []
                }
                return wanted != nil && remaining <= 0
            }) { pid, inode in
                guard let wanted else { seen.append((inode, pid)); return }
                guard owners[inode] == nil, wanted.contains(inode) else { return }
                owners[inode] = ProcessRef(pid: pid, name: names.name(pid))
                remaining -= 1
            }
        }

        /// Hands `wanted` to the walk, waits for it and returns the owners it found.
        func finish(wanted: Set<UInt32>) -> [UInt32: ProcessRef] {
            mailbox.withLock { $0 = wanted }
            thread?.wait()
            // The walk ended before it took the set: keep the wanted ones of all it passed.
            var names = ProcessTable.Names()
            for s in seen where wanted.contains(s.inode) && owners[s.inode] == nil {
                owners[s.inode] = ProcessRef(pid: s.pid, name: names.name(s.pid))
            }
            seen = []
            return owners
        }
    }

    /// Ends the scan `startScan` began: its owners of `wanted`, and for the wanted sockets it
    /// did not find, the processes it walked before it knew them once more (a socket opened
    /// after the walk passed its process would otherwise have no owner, where a scan started
    /// after the dump sees every socket the dump named).
    private func finish(_ started: EarlyScan, wanted: Set<UInt32>) {
        owners = started.finish(wanted: wanted)
        let missed = wanted.filter { owners[$0] == nil }
        if !missed.isEmpty { scan(for: missed, below: started.wantedFrom) }
    }

    /// One pass over /proc/*/fd for `wanted` (pids below `below`): the lowest pid holding a
    /// socket becomes its owner; it stops once every wanted socket has one.
    private func scan(for wanted: Set<UInt32>, below: Int32 = .max) {
        var remaining = wanted.reduce(0) { $0 + (owners[$1] == nil ? 1 : 0) }
        var names = Names()
        Self.walk(stopBefore: { $0 >= below || remaining <= 0 }) { pid, inode in
            // The first (lowest) pid wins when a socket is shared after fork, as in ss.
            guard owners[inode] == nil, wanted.contains(inode) else { return }
            owners[inode] = ProcessRef(pid: pid, name: names.name(pid))
            remaining -= 1
        }
    }

    /// The command name of the last pid asked for, read once per process.
    struct Names {
        private var last: (pid: Int32, name: String)?
        mutating func name(_ pid: Int32) -> String {
            if let last, last.pid == pid { return last.name }
            let name = ProcessTable.comm(pid) ?? "?"
            last = (pid, name)
            return name
        }
    }

    /// Walks /proc/*/fd and calls `socket(pid, inode)` for each socket descriptor; asks
    /// `stopBefore(pid)` before each process. It avoids what a profile showed per descriptor:
    /// no String for names or paths, each link read relative to its fd directory (readlinkat,
    /// not a walk from / through /proc/PID/fd for every one). Pids come in ascending order, so
    /// the first process to show a socket is the lowest pid holding it, as in ss.
    static func walk(stopBefore: (Int32) -> Bool, socket: (Int32, UInt32) -> Void) {
        let proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard proc >= 0 else { return }
        guard let procDir = fdopendir(proc) else { close(proc); return }
        defer { closedir(procDir) }
        var path = [CChar](repeating: 0, count: 32)
        var link = [CChar](repeating: 0, count: 64)
        while let entry = readdir(procDir) {
            let pidName = Self.name(of: entry)
            guard let pid = Self.decimal(pidName) else { continue }
            if stopBefore(pid) { break }
            // "PID/fd", relative to /proc.
            var length = 0
            while pidName[length] != 0 { path[length] = pidName[length]; length += 1 }
            for c in "/fd".utf8 { path[length] = CChar(bitPattern: c); length += 1 }
            path[length] = 0
            let fdDirFD = openat(proc, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fdDirFD >= 0 else { continue } // gone, or not ours to read
            guard let dir = fdopendir(fdDirFD) else { close(fdDirFD); continue }
            while let fdEntry = readdir(dir) {
                let fdName = Self.name(of: fdEntry)
                guard fdName[0] >= 0x30 && fdName[0] <= 0x39 else { continue }
                let n = readlinkat(fdDirFD, fdName, &link, link.count - 1)
                guard n > 9, let inode = Self.socketInode(link, count: n) else { continue }
                socket(pid, inode)
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
