@testable import MPTCPKit
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Owning processes found by the /proc/*/fd scan, as `ss -p` finds them, and by the BPF
/// iterator: each test runs both ways, to the same owners.
final class ProcessTableTests: XCTestCase {
    /// Whether this machine can run the iterator: root on a kernel with BTF (then it must).
    private var iteratorExpected: Bool { geteuid() == 0 && access(KernelBTF.vmlinuxPath, R_OK) == 0 }

    private func eachWay(namespace: NamespaceIdentity? = nil, _ body: (ProcessTable, String) throws -> Void) rethrows {
        for way in [ProcessTable.Way.iteratorWherePossible, .procOnly] {
            let table = ProcessTable(namespace: namespace, way: way)
            try body(table, "\(way)")
            XCTAssertEqual(table.lastScanUsedIterator, way == .iteratorWherePossible && iteratorExpected,
                           "\(way): \(table.iteratorUnavailableReason ?? "-")")
        }
    }

    private func inode(of fd: Int32) -> UInt32 {
        var info = stat()
        XCTAssertEqual(fstat(fd, &info), 0)
        return UInt32(truncatingIfNeeded: info.st_ino)
    }

    func testFindsTheProcessThatHoldsASocket() throws {
        let a = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0), b = socket(AF_INET6, Int32(SOCK_DGRAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(a, 0)
        XCTAssertGreaterThanOrEqual(b, 0)
        defer { close(a); close(b) }
        let ours = try XCTUnwrap(ProcessTable.comm(getpid()))
        XCTAssertFalse(ours.isEmpty)
        XCTAssertFalse(ours.contains("\n"))
        eachWay { table, way in
            let owners = table.owners(of: [inode(of: a), inode(of: b), 0], now: 0)
            XCTAssertEqual(owners[inode(of: a)], ProcessRef(pid: getpid(), name: ours), way)
            XCTAssertEqual(owners[inode(of: b)], ProcessRef(pid: getpid(), name: ours), way)
            XCTAssertNil(owners[0], way)
        }
    }

    func testASocketNobodyHoldsHasNoOwner() {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        let gone = inode(of: fd)
        close(fd)
        eachWay { table, way in XCTAssertNil(table.owners(of: [gone], now: 0)[gone], way) }
    }

    /// A socket held by this process and by a child in a network namespace of its own: the
    /// owner is the holder in the namespace sampled, whatever the pids; without a namespace the
    /// lowest pid, as before.
    func testAHolderInTheSampledNamespaceIsTheOwner() throws {
        guard geteuid() == 0 else { throw XCTSkip("needs root: unshare -n makes the child's network namespace") }
        let unshare = "/usr/bin/unshare"
        guard access(unshare, X_OK) == 0 else { throw XCTSkip("no \(unshare) (package util-linux)") }
        // Not close-on-exec: the child inherits it.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        let child = try SpawnedProcess.start(unshare, ["-n", "/bin/sleep", "30"], stdinPipe: false)
        defer {
            kill(child.pid, SIGKILL)
            _ = SpawnedProcess.reap(child.pid, block: true)
            try? child.stdout.close()
            try? child.stderr.close()
        }
        let ours = try NamespaceIdentity.current()
        var theirs: NamespaceIdentity?
        for _ in 0..<200 {
            if let ns = NamespaceIdentity.of(path: "/proc/\(child.pid)/ns/net"), ns != ours { theirs = ns; break }
            usleep(10_000)
        }
        let childNamespace = try XCTUnwrap(theirs, "the child did not enter a namespace of its own")
        let socketInode = inode(of: fd)
        // One of the two namespaces' holders has the higher pid (the child's, unless pids
        // wrapped around since this test process started): that one is chosen against pid order.
        eachWay(namespace: childNamespace) { table, way in
            XCTAssertEqual(table.owners(of: [socketInode], now: 0)[socketInode]?.pid, child.pid, way)
        }
        eachWay(namespace: ours) { table, way in
            XCTAssertEqual(table.owners(of: [socketInode], now: 0)[socketInode]?.pid, getpid(), way)
        }
        eachWay { table, way in
            XCTAssertEqual(table.owners(of: [socketInode], now: 0)[socketInode]?.pid, min(child.pid, getpid()), way)
        }
    }

    func testParsesOnlySocketLinks() {
        func parse(_ text: String) -> UInt32? {
            Array(text.utf8).withUnsafeBytes { ProcessTable.socketInode($0) }
        }
        XCTAssertEqual(parse("socket:[12345]"), 12345)
        XCTAssertEqual(parse("socket:[4294967295]"), 4294967295)
        XCTAssertNil(parse("pipe:[12345]"))
        XCTAssertNil(parse("socket:[12a45]"))
        XCTAssertNil(parse("socket:[]"))
        XCTAssertNil(parse("/dev/null"))
        XCTAssertNil(parse("socket:[12345"))
        XCTAssertNil(parse("socket:12345]"))
    }
}

/// A process with many descriptors has them read by number, without listing its fd directory,
/// unless the numbers have many holes; either way every socket it holds is found.
final class ProcessTableDescriptorTests: XCTestCase {
    private func sockets(_ n: Int) -> [Int32] {
        (0..<n).map { _ in socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0) }
    }

    private func inode(of fd: Int32) -> UInt32 {
        var info = stat()
        XCTAssertEqual(fstat(fd, &info), 0)
        return UInt32(truncatingIfNeeded: info.st_ino)
    }

    /// Scans this process alone; whether its fd directory was listed, and the owners found.
    private func scanOurselves(for fds: [Int32]) throws -> (listed: Bool, owners: [UInt32: ProcessRef]) {
        let proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        XCTAssertGreaterThanOrEqual(proc, 0)
        defer { close(proc) }
        let table = ProcessTable()
        let wanted = Set(fds.map(inode(of:)))
        var remaining = wanted.count
        let listed = table.scanDescriptors(of: getpid(), in: proc, for: wanted, remaining: &remaining)
        XCTAssertEqual(remaining, 0, "every socket found")
        // What the scan recorded, read back the public way (no second scan: all are known).
        return (listed, table.owners(of: Array(wanted), now: 0))
    }

    private func requireOpenCount() throws {
        var info = stat()
        guard stat("/proc/self/fd", &info) == 0, info.st_size > 0 else {
            throw XCTSkip("this kernel does not give /proc/PID/fd's size as its open descriptors (Linux 6.2+)")
        }
    }

    func testManyDescriptorsAreReadByNumber() throws {
        try requireOpenCount()
        let fds = sockets(300)
        defer { fds.forEach { _ = close($0) } }
        XCTAssertFalse(fds.contains(-1))
        let (listed, owners) = try scanOurselves(for: fds)
        XCTAssertFalse(listed, "300 descriptors in a row: read by number")
        for fd in fds { XCTAssertEqual(owners[inode(of: fd)]?.pid, getpid()) }
    }

    /// Three of every four closed: too many numbers miss, so the directory is listed for the
    /// rest, and the sockets past the numbers read are found too.
    func testDescriptorsWithManyHolesAreListed() throws {
        try requireOpenCount()
        let all = sockets(800)
        XCTAssertFalse(all.contains(-1))
        var kept: [Int32] = []
        for (k, fd) in all.enumerated() {
            if k % 4 == 3 { kept.append(fd) } else { close(fd) }
        }
        defer { kept.forEach { _ = close($0) } }
        let (listed, owners) = try scanOurselves(for: kept)
        XCTAssertTrue(listed, "holes: listed")
        for fd in kept { XCTAssertEqual(owners[inode(of: fd)]?.pid, getpid(), "descriptor \(fd)") }
    }

    func testDescriptorNamesCountUpInDecimal() {
        var name = DescriptorName()
        var seen: [String] = []
        for _ in 0...1001 {
            seen.append(name.withName { String(cString: $0) })
            name.next()
        }
        XCTAssertEqual(seen, (0...1001).map(String.init))
        XCTAssertEqual(name.value, 1002)
    }
}
