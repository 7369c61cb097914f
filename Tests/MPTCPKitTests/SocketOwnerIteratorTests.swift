@testable import MPTCPKit
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The BPF socket-owner iterator: its instructions as the kernel's verifier prints them, and a
/// live pass that finds this process's own sockets at their descriptors.
final class SocketOwnerIteratorTests: XCTestCase {
    /// Opcodes as `bpftool prog dump xlated` and the verifier's log show them: (79) r7 = *(u64 *)(r6 +8), …
    func testInstructionsEncodeAsTheKernelReadsThem() {
        XCTAssertEqual(BPFInstruction.load(.double, .r7, from: .r6, 8).bytes, [0x79, 0x67, 8, 0, 0, 0, 0, 0])
        XCTAssertEqual(BPFInstruction.load(.half, .r3, from: .r2, 0).bytes, [0x69, 0x23, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(BPFInstruction.load(.word, .r3, from: .r7, 1268).bytes, [0x61, 0x73, 0xF4, 0x04, 0, 0, 0, 0])
        XCTAssertEqual(BPFInstruction.store(.double, .r3, to: .r10, -8).bytes, [0x7B, 0x3A, 0xF8, 0xFF, 0, 0, 0, 0])
        XCTAssertEqual(BPFInstruction.store(.word, .r3, to: .r10, -16).bytes, [0x63, 0x3A, 0xF0, 0xFF, 0, 0, 0, 0])
        XCTAssertEqual(BPFInstruction.move(.r6, .r1).bytes, [0xBF, 0x16, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(BPFInstruction.move(.r3, 16).bytes, [0xB7, 0x03, 0, 0, 16, 0, 0, 0])
        XCTAssertEqual(BPFInstruction.add(.r2, -16).bytes, [0x07, 0x02, 0, 0, 0xF0, 0xFF, 0xFF, 0xFF])
        XCTAssertEqual(BPFInstruction.and(.r3, 0xF000).bytes, [0x57, 0x03, 0, 0, 0x00, 0xF0, 0, 0])
        XCTAssertEqual(BPFInstruction.jumpIfEqual(.r7, 0, skip: 19).bytes, [0x15, 0x07, 19, 0, 0, 0, 0, 0])
        XCTAssertEqual(BPFInstruction.jumpIfNotEqual(.r3, 0xC000, skip: 12).bytes, [0x55, 0x03, 12, 0, 0x00, 0xC0, 0, 0])
        XCTAssertEqual(BPFInstruction.call(127).bytes, [0x85, 0, 0, 0, 127, 0, 0, 0])
        XCTAssertEqual(BPFInstruction.exit.bytes, [0x95, 0, 0, 0, 0, 0, 0, 0])
    }

    /// Every early way out lands on the final `r0 = 0`.
    func testEveryJumpEndsAtTheProgramsExit() {
        let program = SocketOwnerIterator.program(.init(function: 1, fileInode: 32, inodeMode: 0, inodeNumber: 64, taskGroup: 1268))
        XCTAssertEqual(program.suffix(2), [.move(.r0, 0), .exit])
        let jumps = program.enumerated().filter { $0.element.code == 0x15 || $0.element.code == 0x55 }
        XCTAssertEqual(jumps.count, 4)
        for (index, jump) in jumps {
            XCTAssertEqual(index + Int(jump.offset) + 1, program.count - 2, "the jump at \(index)")
        }
    }

    func testAPassFindsThisProcesssSocketsAtTheirDescriptors() throws {
        guard geteuid() == 0 else { throw XCTSkip("needs root: loading a BPF iterator needs CAP_BPF and CAP_PERFMON") }
        guard access(KernelBTF.vmlinuxPath, R_OK) == 0 else { throw XCTSkip("no \(KernelBTF.vmlinuxPath): a kernel without BTF") }
        let iterator: SocketOwnerIterator
        switch SocketOwnerIterator.make() {
        case .success(let made): iterator = made
        case .failure(let why): return XCTFail("root on a kernel with BTF, yet the iterator cannot be made: \(why)")
        }
        let a = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0), b = socket(AF_INET6, Int32(SOCK_DGRAM.rawValue), 0)
        let notASocket = open("/dev/null", O_RDONLY)
        defer { close(a); close(b); close(notASocket) }
        func inode(_ fd: Int32) -> UInt32 {
            var info = stat()
            XCTAssertEqual(fstat(fd, &info), 0)
            return UInt32(truncatingIfNeeded: info.st_ino)
        }
        // Twice: each pass starts afresh.
        for pass in 1...2 {
            var ours: [SocketOwnerIterator.Record] = []
            var total = 0
            XCTAssertNoThrow(try iterator.forEachBatch { records in
                total += records.count
                ours += records.filter { $0.pid == getpid() }
                return true
            }.get())
            XCTAssertTrue(ours.contains(.init(pid: getpid(), descriptor: a, inode: inode(a))), "pass \(pass)")
            XCTAssertTrue(ours.contains(.init(pid: getpid(), descriptor: b, inode: inode(b))), "pass \(pass)")
            XCTAssertFalse(ours.contains { $0.descriptor == notASocket }, "only sockets are reported")
            XCTAssertGreaterThanOrEqual(total, ours.count)
        }
        // Stopped after the first batch: no more batches come.
        var batches = 0
        XCTAssertNoThrow(try iterator.forEachBatch { _ in batches += 1; return false }.get())
        XCTAssertEqual(batches, 1)
    }
}
