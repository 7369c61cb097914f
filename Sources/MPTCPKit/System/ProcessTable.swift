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

    /// Owners of `inodes` (those found). `now` is monotonic nanoseconds.
    public func owners(of inodes: [UInt32], now: UInt64) -> [UInt32: ProcessRef] {
        let wanted = Set(inodes.filter { $0 != 0 })
        let unknown = wanted.filter { owners[$0] == nil && !missing.contains($0) }
        let stale = wanted.contains { owners[$0] == nil } && now &- lastScan >= rescanInterval
        if !unknown.isEmpty || stale {
            scan(for: wanted)
            lastScan = now
            missing = wanted.filter { owners[$0] == nil }
        }
        // Forget sockets that are gone so the cache does not grow without bound.
        owners = owners.filter { wanted.contains($0.key) }
        return owners
    }

    private func scan(for wanted: Set<UInt32>) {
        guard let proc = opendir("/proc") else { return }
        defer { closedir(proc) }
        var link = [CChar](repeating: 0, count: 64)
        while let entry = readdir(proc) {
            let pidName = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard let pid = Int32(pidName) else { continue }
            let fdDir = "/proc/\(pid)/fd"
            guard let dir = opendir(fdDir) else { continue } // gone, or not ours to read
            var name: String?
            while let fdEntry = readdir(dir) {
                let fdName = withUnsafeBytes(of: fdEntry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                guard fdName.first?.isNumber == true else { continue }
                let n = readlink("\(fdDir)/\(fdName)", &link, link.count - 1)
                guard n > 9 else { continue }
                guard let inode = Self.socketInode(link, count: n), wanted.contains(inode) else { continue }
                if name == nil { name = Self.comm(pid) }
                // The first (lowest) pid wins when a socket is shared after fork, as in ss.
                if owners[inode] == nil { owners[inode] = ProcessRef(pid: pid, name: name ?? "?") }
            }
            closedir(dir)
        }
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

    static func comm(_ pid: Int32) -> String? {
        guard let f = fopen("/proc/\(pid)/comm", "r") else { return nil }
        defer { fclose(f) }
        var buf = [CChar](repeating: 0, count: 64)
        guard fgets(&buf, 64, f) != nil else { return nil }
        let s = String(cChars: buf)
        return s.hasSuffix("\n") ? String(s.dropLast()) : s
    }
}
