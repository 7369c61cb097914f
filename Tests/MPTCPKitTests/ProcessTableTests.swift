@testable import MPTCPKit
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Owning processes found by the /proc/*/fd scan, as `ss -p` finds them.
final class ProcessTableTests: XCTestCase {
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
        let table = ProcessTable()
        let owners = table.owners(of: [inode(of: a), inode(of: b), 0], now: 0)
        XCTAssertEqual(owners[inode(of: a)], ProcessRef(pid: getpid(), name: ours))
        XCTAssertEqual(owners[inode(of: b)], ProcessRef(pid: getpid(), name: ours))
        XCTAssertNil(owners[0])
    }

    func testASocketNobodyHoldsHasNoOwner() {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        let gone = inode(of: fd)
        close(fd)
        XCTAssertNil(ProcessTable().owners(of: [gone], now: 0)[gone])
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
        XCTAssertEqual(ProcessTable(namespace: childNamespace).owners(of: [socketInode], now: 0)[socketInode]?.pid, child.pid)
        XCTAssertEqual(ProcessTable(namespace: ours).owners(of: [socketInode], now: 0)[socketInode]?.pid, getpid())
        XCTAssertEqual(ProcessTable().owners(of: [socketInode], now: 0)[socketInode]?.pid, min(child.pid, getpid()))
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
