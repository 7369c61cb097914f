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

    func testParsesOnlySocketLinks() {
        func parse(_ text: String) -> UInt32? {
            let link = Array(text.utf8CString.dropLast())
            return ProcessTable.socketInode(link, count: link.count)
        }
        XCTAssertEqual(parse("socket:[12345]"), 12345)
        XCTAssertEqual(parse("socket:[4294967295]"), 4294967295)
        XCTAssertNil(parse("pipe:[12345]"))
        XCTAssertNil(parse("socket:[12a45]"))
        XCTAssertNil(parse("socket:[]"))
        XCTAssertNil(parse("/dev/null"))
    }
}
