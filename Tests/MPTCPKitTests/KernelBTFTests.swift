@testable import MPTCPKit
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The BTF reader on a small hand-made type table (the kinds and layouts of
/// include/uapi/linux/btf.h), on broken ones, and on the running kernel's own.
final class KernelBTFTests: XCTestCase {
    /// A BTF blob: the header, the type records, then the strings.
    private struct Blob {
        var strings: [UInt8] = [0]
        var types: [UInt8] = []

        mutating func name(_ s: String) -> UInt32 {
            let offset = UInt32(strings.count)
            strings += Array(s.utf8) + [0]
            return offset
        }

        mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { types += $0 } }

        /// A type record: name, info (kind, count, kind flag), size or type.
        mutating func type(_ name: UInt32, kind: UInt32, count: UInt32 = 0, kindFlag: Bool = false, _ sizeOrType: UInt32) {
            u32(name)
            u32(kind << 24 | count | (kindFlag ? 1 << 31 : 0))
            u32(sizeOrType)
        }

        func bytes(magic: UInt16 = 0xEB9F, stringsLength: Int? = nil) -> [UInt8] {
            var b: [UInt8] = []
            withUnsafeBytes(of: magic.littleEndian) { b += $0 }
            b += [1, 0]
            for v in [UInt32(24), 0, UInt32(types.count), UInt32(types.count), UInt32(stringsLength ?? strings.count)] {
                withUnsafeBytes(of: v.littleEndian) { b += $0 }
            }
            return b + types + strings
        }
    }

    /// 1 int (4 bytes), 2 u16 (2), 3 typedef umode_t → 2, 4 long (8), 5 pointer → 6,
    /// 6 struct inode { umode_t i_mode @0; long i_ino @64 bits }, 7 union { inode *f_inode },
    /// 8 struct file { int f_flags:3 (bit field); <union 7> @32 bytes }, 9 func bpf_iter_task_file,
    /// 10 func_proto (2 parameters), 11 enum (1 value).
    private func sample() -> Blob {
        var b = Blob()
        b.type(b.name("int"), kind: 1, 4); b.u32(32)
        b.type(b.name("u16"), kind: 1, 2); b.u32(16)
        b.type(b.name("umode_t"), kind: 8, 2)
        b.type(b.name("long"), kind: 1, 8); b.u32(64)
        b.type(0, kind: 2, 6)
        let mode = b.name("i_mode"), ino = b.name("i_ino")
        b.type(b.name("inode"), kind: 4, count: 2, 16)
        b.u32(mode); b.u32(3); b.u32(0)
        b.u32(ino); b.u32(4); b.u32(64)
        let fInode = b.name("f_inode")
        b.type(0, kind: 5, count: 1, 8)
        b.u32(fInode); b.u32(5); b.u32(0)
        let flags = b.name("f_flags")
        b.type(b.name("file"), kind: 4, count: 2, kindFlag: true, 40)
        b.u32(flags); b.u32(1); b.u32(3 << 24 | 0)
        b.u32(0); b.u32(7); b.u32(256)
        b.type(b.name("bpf_iter_task_file"), kind: 12, 10)
        b.type(0, kind: 13, count: 2, 1); b.u32(0); b.u32(5); b.u32(0); b.u32(1)
        b.type(b.name("e"), kind: 6, count: 1, 4); b.u32(b.name("E1")); b.u32(1)
        return b
    }

    private func read(_ bytes: [UInt8]) throws(KernelBTF.Failure) -> KernelBTF {
        // The reader keeps the buffer: a copy that lives as long as the test.
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 8)
        copy.copyBytes(from: bytes)
        addTeardownBlock { copy.deallocate() }
        return try KernelBTF(UnsafeRawBufferPointer(copy), functions: ["bpf_iter_task_file", "absent"], structs: ["inode", "file", "task_struct"])
    }

    func testFindsFunctionsAndMembersThroughTypedefsAndUnnamedUnions() throws {
        let btf = try read(sample().bytes())
        XCTAssertEqual(btf.functionID("bpf_iter_task_file"), 9)
        XCTAssertNil(btf.functionID("absent"))
        XCTAssertEqual(btf.member("i_mode", of: "inode"), KernelBTF.Member(offset: 0, size: 2))
        XCTAssertEqual(btf.member("i_ino", of: "inode"), KernelBTF.Member(offset: 8, size: 8))
        XCTAssertEqual(btf.member("f_inode", of: "file"), KernelBTF.Member(offset: 32, size: 8), "inside the unnamed union at byte 32")
        XCTAssertNil(btf.member("f_flags", of: "file"), "a bit field is not offered")
        XCTAssertNil(btf.member("i_size", of: "inode"))
        XCTAssertNil(btf.member("tgid", of: "task_struct"), "a struct the types do not have")
    }

    func testBrokenTablesAreRefused() {
        let good = sample().bytes()
        func failure(_ bytes: [UInt8]) -> KernelBTF.Failure? {
            do { _ = try read(bytes); return nil } catch { return error }
        }
        XCTAssertEqual(failure(Array(good.prefix(20))), .badHeader, "shorter than a header")
        XCTAssertEqual(failure(sample().bytes(magic: 0x9FEB)), .badHeader, "the other byte order")
        XCTAssertEqual(failure(sample().bytes(stringsLength: 1 << 20)), .badHeader, "strings past the end")
        var unknownKind = sample()
        unknownKind.type(0, kind: 31, 0)
        XCTAssertEqual(failure(unknownKind.bytes()), .badTypes)
        var overlong = sample()
        overlong.type(overlong.name("s"), kind: 4, count: 1000, 8)  // members that are not there
        XCTAssertEqual(failure(overlong.bytes()), .badTypes)
        var cut = sample()
        cut.types.removeLast(2)
        XCTAssertEqual(failure(cut.bytes()), .badTypes, "a record cut short")
    }

    /// The running kernel's types have what the socket-owner iterator reads, with the sizes it loads.
    func testTheRunningKernelHasTheIteratorsTypes() throws {
        guard access(KernelBTF.vmlinuxPath, R_OK) == 0 else {
            throw XCTSkip("no readable \(KernelBTF.vmlinuxPath): a kernel without CONFIG_DEBUG_INFO_BTF, or not root")
        }
        // Mapped (Linux 6.16+) and read (before): the same layout either way.
        var layouts: [SocketOwnerIterator.Layout] = []
        for mapped in [true, false] {
            let layout = KernelBTF.withVmlinux(functions: ["bpf_iter_task_file"], structs: ["file", "inode", "task_struct"], mapped: mapped) { btf in
                Result { () throws(SocketOwnerIterator.Unavailable) in try SocketOwnerIterator.Layout(btf) }
            }
            let found = try XCTUnwrap(layout, "the kernel's BTF did not parse (mapped: \(mapped))")
            XCTAssertNoThrow(try found.get(), "mapped: \(mapped)")
            XCTAssertGreaterThan(try found.get().function, 0)
            layouts.append(try found.get())
        }
        XCTAssertEqual(layouts[0], layouts[1])
    }
}
