#if canImport(Glibc)
import Glibc
#endif

/// Finds the process that owns a socket inode: as root on a kernel with BPF and BTF, from one
/// pass of a BPF iterator over every task's open files (`SocketOwnerIterator`); elsewhere by
/// scanning /proc/PID/fd, as `ss -p` does. Both find the same owners.
///
/// A full scan visits every open descriptor on the host (a readlink each through /proc, about
/// a sixth of that through the iterator), so results are cached:
/// an inode seen in a dump is the same live socket as before, and the scan only runs again
/// when inodes appear that the cache does not know (at most once per `rescanInterval`).
///
/// Which process is a socket's owner when several hold it (after fork, or passed over a Unix
/// socket): the lowest pid among the processes in the sampled network namespace, else the
/// lowest pid among the others. `ss -p` lists them all; mptop shows one, and a process in the
/// socket's own namespace is the likelier to have made it.
public final class ProcessTable {
    private var owners: [UInt32: ProcessRef] = [:]
    private var missing: Set<UInt32> = []
    private var lastScan: UInt64 = 0
    public var rescanInterval: UInt64 = 2_000_000_000
    /// The network namespace sampled, whose processes are scanned first.
    private let namespace: NamespaceIdentity?

    /// How owners are looked for: the BPF iterator where it can be made (the default), or /proc only.
    public enum Way: Equatable, Sendable {
        case iteratorWherePossible, procOnly
    }
    private let way: Way
    /// The iterator, made at the first scan; nil until then, or for good when it cannot be.
    private var iterator: SocketOwnerIterator?
    /// Why the iterator is not used, once that is known (nil: used, or not tried yet).
    private(set) var iteratorUnavailable: SocketOwnerIterator.Unavailable?
    /// Whether the last scan found its owners with the iterator (for the tests and the benchmark).
    public private(set) var lastScanUsedIterator = false
    /// Why the iterator is not used, said for the benchmark ("bpf(2) refused to load it: Operation not permitted").
    public var iteratorUnavailableReason: String? { iteratorUnavailable.map { "\($0)" } }

    /// `namespace`: that of the sockets looked up (nil: every process in pid order).
    public convenience init(namespace: NamespaceIdentity? = nil) {
        self.init(namespace: namespace, way: .iteratorWherePossible)
    }

    public init(namespace: NamespaceIdentity?, way: Way) {
        self.namespace = namespace
        self.way = way
    }

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

    /// The iterator, made at the first use; nil (for good) where it cannot be.
    private func madeIterator() -> SocketOwnerIterator? {
        guard iteratorUnavailable == nil else { return nil }
        if iterator == nil {
            switch SocketOwnerIterator.make() {
            case .success(let made): iterator = made
            case .failure(let why): iteratorUnavailable = why
            }
        }
        return iterator
    }

    /// A pass that could not start or read: /proc from now on.
    private func giveUpIterator(_ why: SocketOwnerIterator.Unavailable) {
        iteratorUnavailable = why
        iterator = nil
    }

    /// One pass over /proc/*/fd: first the processes in the sampled namespace, then the
    /// others. A socket's namespace is not always its process's (a process may open one after
    /// setns and switch back, or be handed one), so the others are scanned too, but only while
    /// a wanted socket has no owner: at 10,000 connections in a namespace beside another that
    /// holds as many sockets (containers, the benchmark's lab), that halves the scan.
    ///
    /// It runs once for 10,000 sockets at start-up, so it avoids what a profile showed per
    /// descriptor: no String for names or paths, each link read relative to its fd directory
    /// (readlinkat, not a walk from / through /proc/PID/fd for every one); and it stops once
    /// every wanted socket has its owner. The link is read, not followed: `stat` through it
    /// would ask the file's own file system (a hung NFS or FUSE mount hangs the scan), and
    /// measured only 5–10% cheaper in C (most of a scan is the kernel's lookup of the
    /// descriptor and the fd directory's listing either way).
    private func scan(for wanted: Set<UInt32>) {
        lastScanUsedIterator = false
        var remaining = wanted.reduce(0) { $0 + (owners[$1] == nil ? 1 : 0) }
        guard remaining > 0 else { return }
        let proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard proc >= 0 else { return }
        if way == .iteratorWherePossible, let iterator = madeIterator() {
            switch scan(with: iterator, for: wanted, remaining: remaining, in: proc) {
            case .success:
                close(proc)
                lastScanUsedIterator = true
                return
            case .failure(let why):
                giveUpIterator(why)
            }
        }
        guard let procDir = fdopendir(proc) else { close(proc); return }
        defer { closedir(procDir) }
        var later: [Int32] = []
        while remaining > 0, let entry = readdir(procDir) {
            guard let pid = Self.decimal(Self.name(of: entry)) else { continue }
            if !isInNamespace(pid, in: proc) {
                later.append(pid)
                continue
            }
            scanDescriptors(of: pid, in: proc, for: wanted, remaining: &remaining)
        }
        for pid in later where remaining > 0 {
            scanDescriptors(of: pid, in: proc, for: wanted, remaining: &remaining)
        }
    }

    /// The iterator's pass, to the same owners as the /proc scan: records come in pid order, so
    /// the first holder of a socket has the lowest pid; a later holder in the sampled namespace
    /// takes over from one outside it. It stops once every wanted socket has an owner in the
    /// namespace (the /proc scan's order, namespace first, stops at the same point).
    private func scan(with iterator: SocketOwnerIterator, for wanted: Set<UInt32>, remaining: Int, in proc: Int32) -> Result<Void, SocketOwnerIterator.Unavailable> {
        var found: [UInt32: (pid: Int32, inNamespace: Bool)] = [:]
        var inNamespace: [Int32: Bool] = [:]
        /// Asked once a process: a process holds many sockets.
        func isInNamespace(_ pid: Int32) -> Bool {
            if let known = inNamespace[pid] { return known }
            let answer = self.isInNamespace(pid, in: proc)
            inNamespace[pid] = answer
            return answer
        }
        var remaining = remaining
        /// Takes a batch of records; false once every wanted socket has an owner in the namespace.
        func take(_ records: UnsafeBufferPointer<SocketOwnerIterator.Record>) -> Bool {
            for r in records where wanted.contains(r.inode) && owners[r.inode] == nil {
                if let earlier = found[r.inode] {
                    guard !earlier.inNamespace, r.pid != earlier.pid, isInNamespace(r.pid) else { continue }
                    found[r.inode] = (r.pid, true)
                    remaining -= 1
                } else {
                    let here = isInNamespace(r.pid)
                    found[r.inode] = (r.pid, here)
                    if here { remaining -= 1 }
                }
            }
            return remaining > 0
        }
        let pass = iterator.forEachBatch(take)
        guard case .success = pass else { return pass }
        var names: [Int32: String] = [:]
        for (inode, holder) in found {
            let name = names[holder.pid] ?? Self.comm(holder.pid) ?? "?"
            names[holder.pid] = name
            owners[inode] = ProcessRef(pid: holder.pid, name: name)
        }
        return .success(())
    }

    /// Whether process `pid` (under `proc`, /proc open) is in the sampled namespace; every
    /// process is when no namespace was given.
    private func isInNamespace(_ pid: Int32, in proc: Int32) -> Bool {
        guard let namespace else { return true }
        return NamespaceIdentity.of(directory: proc, path: "\(pid)/ns/net") == namespace
    }

    /// From this many open descriptors a process's are read by number before its fd directory
    /// is listed (`scanDescriptors`).
    static let probeFrom = 64

    /// Reads /proc/PID/fd (relative to `proc`) and records `pid` as the owner of the wanted
    /// sockets it holds that have none yet; stops once no wanted socket lacks an owner.
    ///
    /// A process with many descriptors has them read by number, 0 upwards, until as many were
    /// found as the directory's size says are open (Linux 6.2+), without listing it: the
    /// listing cost 0.85 µs a descriptor beside the 2.6 µs of its `readlinkat` (C, 10,000
    /// sockets of one process, this machine). A number that is not open costs a `readlinkat` as
    /// well, so the numbers are read only while few of them miss; past that (a table full of
    /// holes), and on older kernels (size 0), the directory is listed for the rest. Returns
    /// whether it was listed (for the tests).
    @discardableResult
    func scanDescriptors(of pid: Int32, in proc: Int32, for wanted: Set<UInt32>, remaining: inout Int) -> Bool {
        let fdDirFD = openat(proc, "\(pid)/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fdDirFD >= 0 else { return false } // gone, or not ours to read
        var name: String?
        var link = (0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64)
        /// Reads descriptor `fdName`'s link; false when it is not open (or not ours to read).
        func readLink(_ fdName: UnsafePointer<CChar>) -> Bool {
            let (isOpen, inode): (Bool, UInt32?) = withUnsafeMutableBytes(of: &link) { buffer in
                let n = readlinkat(fdDirFD, fdName, buffer.baseAddress!.assumingMemoryBound(to: CChar.self), buffer.count)
                return (n >= 0, n > 0 ? Self.socketInode(UnsafeRawBufferPointer(rebasing: buffer[..<n])) : nil)
            }
            if let inode, wanted.contains(inode), owners[inode] == nil {
                if name == nil { name = Self.comm(pid) }
                owners[inode] = ProcessRef(pid: pid, name: name ?? "?")
                remaining -= 1
            }
            return isOpen
        }
        var info = stat()
        let openCount = fstat(fdDirFD, &info) == 0 ? Int(info.st_size) : 0
        var listedFrom: Int32 = 0
        if openCount >= Self.probeFrom {
            var found = 0, misses = 0
            var number = DescriptorName()
            while found < openCount && misses <= openCount / 8 + 16 && remaining > 0 {
                if number.withName(readLink) { found += 1 } else { misses += 1 }
                number.next()
            }
            guard found < openCount && remaining > 0 else { close(fdDirFD); return false }
            listedFrom = number.value
        }
        guard let dir = fdopendir(fdDirFD) else { close(fdDirFD); return false }
        defer { closedir(dir) }
        while remaining > 0, let fdEntry = readdir(dir) {
            let fdName = Self.name(of: fdEntry)
            guard fdName[0] >= 0x30 && fdName[0] <= 0x39 else { continue }  // not "." or ".."
            if listedFrom > 0, let fd = Self.decimal(fdName), fd < listedFrom { continue }  // read by number
            _ = readLink(fdName)
        }
        return true
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

    /// Parses `socket:[12345]` (a link's bytes, without a NUL), in place: it runs for every
    /// descriptor on the host.
    static func socketInode(_ link: UnsafeRawBufferPointer) -> UInt32? {
        let prefix = "socket:[".utf8
        guard link.count > prefix.count + 1, link[link.count - 1] == UInt8(ascii: "]"),
              zip(link, prefix).allSatisfy({ $0 == $1 }) else { return nil }
        // Wrapping, as sock_diag truncates the inode number to its 32-bit `idiag_inode`.
        var v: UInt32 = 0
        for b in link[prefix.count..<(link.count - 1)] {
            let d = b &- 48
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

/// A descriptor number as the NUL-terminated decimal name of its /proc/PID/fd entry, counted
/// up in place: no String a descriptor.
struct DescriptorName {
    private(set) var value: Int32 = 0
    /// "0", NUL-terminated: room for 15 digits, and an Int32 has at most 10.
    private var digits: (UInt64, UInt64) = (0x30, 0)
    private var count = 1

    mutating func next() {
        value += 1
        withUnsafeMutableBytes(of: &digits) { d in
            var i = count - 1
            while i >= 0 {
                if d[i] < 0x39 { d[i] += 1; return }
                d[i] = 0x30
                i -= 1
            }
            // All nines: one more digit, a 1 in front.
            for k in stride(from: count, to: 0, by: -1) { d[k] = d[k - 1] }
            d[0] = 0x31
            count += 1
            d[count] = 0
        }
    }

    func withName<R>(_ body: (UnsafePointer<CChar>) -> R) -> R {
        withUnsafeBytes(of: digits) { body($0.baseAddress!.assumingMemoryBound(to: CChar.self)) }
    }
}
