// mptop-bench --owners: the cold scan for owning processes alone (no lab, no root needed to
// hold the sockets): this process opens N TCP sockets and times a fresh ProcessTable finding
// their owner, each way (the BPF iterator, where it can be made, and /proc/*/fd), twice: when
// every socket has an owner (the scan may stop once all are found) and when one never does
// (the scan walks every process on the host, as it must when a socket is orphaned or owned by
// a process it cannot read).
import LabKit
import MPTCPKit
#if canImport(Glibc)
import Glibc
#endif

func benchOwnerScan(sockets n: Int, rounds: Int) {
    do { try FileDescriptorLimit.ensure(n + 256) } catch { fail("\(error)") }
    var fds: [Int32] = []
    var inodes: [UInt32] = []
    for _ in 0..<n {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { fail("socket: errno \(errno) after \(fds.count) sockets") }
        var info = stat()
        fstat(fd, &info)
        fds.append(fd)
        inodes.append(UInt32(truncatingIfNeeded: info.st_ino))
    }
    defer { fds.forEach { close($0) } }
    // An inode no process holds: that of a socket closed at once.
    let orphan: UInt32 = {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var info = stat()
        fstat(fd, &info)
        close(fd)
        return UInt32(truncatingIfNeeded: info.st_ino)
    }()
    let descriptors = (DirectoryEntries.names("/proc") ?? []).filter(\.isDecimalNumber)
        .reduce(0) { $0 + (DirectoryEntries.names("/proc/\($1)/fd")?.count ?? 0) }
    func time(_ way: ProcessTable.Way) -> (all: Double, full: Double, found: Int, note: String) {
        var found = 0, note = ""
        let all = median((0..<rounds).map { _ in
            milliseconds {
                let table = ProcessTable(namespace: nil, way: way)
                found = table.owners(of: inodes, now: 0).count
                if way == .iteratorWherePossible && !table.lastScanUsedIterator { note = table.iteratorUnavailableReason ?? "not used" }
            }
        })
        let full = median((0..<rounds).map { _ in milliseconds { _ = ProcessTable(namespace: nil, way: way).owners(of: inodes + [orphan], now: 0) } })
        return (all, full, found, note)
    }
    let iterator = time(.iteratorWherePossible), proc = time(.procOnly)
    let iteratorColumn = iterator.note.isEmpty ? "BPF iterator" : "iterator unavailable (\(iterator.note)): /proc"
    print("""
    owner scan, \(n) sockets held by this process, \(descriptors) descriptors open on the host (median of \(rounds)):
                                                      \(iteratorColumn)   /proc/*/fd
      every socket owned (stops when all are found)   \(ms(iterator.all))   \(ms(proc.all))   \(iterator.found) / \(proc.found) owners found
      one orphaned socket (walks every process)       \(ms(iterator.full))   \(ms(proc.full))
    """)
}
