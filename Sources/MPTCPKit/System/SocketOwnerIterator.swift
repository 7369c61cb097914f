import CNetlink
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// Every open socket on the host with the process that holds it, told by the kernel in one
/// pass: a BPF iterator over every task's open files (`bpf_iter_task_file`, Linux 5.8) whose
/// program writes out a 16-byte record (pid, descriptor, inode number) for each socket.
///
/// Why: finding owners through /proc costs a `readlinkat` of /proc/PID/fd/N per descriptor,
/// 2.9 µs each on the build machine (most of it the kernel's lookup of the descriptor's
/// dentry), the largest cost of `mptop --once` that `ss` does not have. The iterator visits a
/// descriptor in about 0.5 µs, and its reader can stop as soon as every socket it wants has an
/// owner. It changes nothing in the kernel: the program only reads, the kernel's verifier
/// checks it on load, and it is unloaded when its descriptors are closed.
///
/// Made only where it can be right: root (CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN), a kernel
/// with BTF and the iterator, a little-endian machine (the instruction layout), and mptop in
/// the first pid namespace (the program reads the kernel's own pid numbers, which are /proc's
/// only there). Elsewhere `make()` says why not and the caller scans /proc.
final class SocketOwnerIterator {
    /// One socket descriptor the kernel reported.
    struct Record: Equatable {
        let pid: Int32
        let descriptor: Int32
        /// The socket's inode number truncated to 32 bits, as sock_diag's `idiag_inode` is.
        let inode: UInt32
    }

    /// Why the iterator could not be made.
    enum Unavailable: Error, Equatable, CustomStringConvertible {
        case bigEndian
        case notInitialPidNamespace
        /// No /sys/kernel/btf/vmlinux, or not BTF this reader understands.
        case noKernelTypes
        /// The kernel's types lack the iterator or a field the program reads.
        case missing(String)
        /// bpf(2) refused (`operation`: load, attach, run: start or read a pass).
        case refused(operation: String, Errno)

        var description: String {
            switch self {
            case .bigEndian: return "a big-endian machine"
            case .notInitialPidNamespace: return "not in the first pid namespace"
            case .noKernelTypes: return "no kernel BTF (\(KernelBTF.vmlinuxPath))"
            case .missing(let what): return "the kernel's types have no \(what) of the expected size"
            case .refused(let operation, let e): return "bpf(2) refused to \(operation) it: \(e.text)"
            }
        }
    }

    private let program: Int32
    private let link: Int32

    private init(program: Int32, link: Int32) {
        self.program = program
        self.link = link
    }

    deinit {
        close(link)
        close(program)
    }

    /// Loads the program and attaches it as an iterator (1–2 ms here: the BTF walk and the
    /// verifier); each `forEachBatch` after that is a fresh pass.
    static func make() -> Result<SocketOwnerIterator, Unavailable> {
        #if _endian(big)
        return .failure(.bigEndian)
        #else
        // The first pid namespace has a fixed inode number (PROC_PID_INIT_INO).
        guard NamespaceIdentity.of(path: "/proc/self/ns/pid")?.inode == 0xEFFF_FFFC else { return .failure(.notInitialPidNamespace) }
        let found = KernelBTF.withVmlinux(functions: [iteratorFunction], structs: ["file", "inode", "task_struct"]) { btf in
            Result { () throws(Unavailable) in try Layout(btf) }
        }
        let layout: Result<Layout, Unavailable> = found ?? .failure(.noKernelTypes)
        return layout.flatMap(load)
        #endif
    }

    fileprivate static let iteratorFunction = "bpf_iter_task_file"

    /// Where the program's fields are, from the kernel's BTF.
    struct Layout: Equatable {
        let function: UInt32
        let fileInode: Int, inodeMode: Int, inodeNumber: Int, taskGroup: Int
    }

    /// The program. Its context (struct bpf_iter__task_file) holds, at 0, 8, 16 and 24: the
    /// iterator's meta (whose first field is the seq_file written to), the task, the
    /// descriptor number and the file; task and file are NULL once, at the end.
    static func program(_ l: Layout) -> [BPFInstruction] {
        let end = 22  // index of the final `r0 = 0`
        var p: [BPFInstruction] = []
        func skipToEnd(_ make: (Int) -> BPFInstruction) { p.append(make(end - p.count - 1)) }
        p.append(.move(.r6, .r1))                                   // r6 = ctx
        p.append(.load(.double, .r7, from: .r6, 8))                 // r7 = ctx->task
        skipToEnd { .jumpIfEqual(.r7, 0, skip: $0) }
        p.append(.load(.double, .r8, from: .r6, 24))                // r8 = ctx->file
        skipToEnd { .jumpIfEqual(.r8, 0, skip: $0) }
        p.append(.load(.double, .r2, from: .r8, l.fileInode))       // r2 = file->f_inode
        skipToEnd { .jumpIfEqual(.r2, 0, skip: $0) }
        p.append(.load(.half, .r3, from: .r2, l.inodeMode))         // only sockets: S_IFSOCK
        p.append(.and(.r3, 0xF000))
        skipToEnd { .jumpIfNotEqual(.r3, 0xC000, skip: $0) }
        p.append(.load(.double, .r3, from: .r2, l.inodeNumber))     // record: pid, fd, inode
        p.append(.store(.double, .r3, to: .r10, -8))
        p.append(.load(.word, .r3, from: .r7, l.taskGroup))
        p.append(.store(.word, .r3, to: .r10, -16))
        p.append(.load(.word, .r3, from: .r6, 16))
        p.append(.store(.word, .r3, to: .r10, -12))
        p.append(.load(.double, .r1, from: .r6, 0))                 // bpf_seq_write(meta->seq, record, 16)
        p.append(.load(.double, .r1, from: .r1, 0))
        p.append(.move(.r2, .r10))
        p.append(.add(.r2, -16))
        p.append(.move(.r3, 16))
        p.append(.call(127))
        precondition(p.count == end)
        p.append(.move(.r0, 0))
        p.append(.exit)
        return p
    }

    private static func load(_ layout: Layout) -> Result<SocketOwnerIterator, Unavailable> {
        let code = program(layout).flatMap(\.bytes)
        // bpf_seq_write is offered to programs under a GPL-compatible licence only: these
        // instructions are offered under MIT or GPL v2 as well as Apache 2.0 (Packaging/copyright).
        let license = Array("Dual MIT/GPL".utf8) + [0], name = Array("mptop_owners".utf8) + [0]
        // union bpf_attr for BPF_PROG_LOAD: the offsets of include/uapi/linux/bpf.h.
        var attr = [UInt8](repeating: 0, count: 128)
        let program: Int32 = code.withUnsafeBytes { insns in
            license.withUnsafeBytes { licence in
                put(UInt32(26), at: 0, in: &attr)                     // prog_type: BPF_PROG_TYPE_TRACING
                put(UInt32(code.count / 8), at: 4, in: &attr)         // insn_cnt
                put(UInt64(UInt(bitPattern: insns.baseAddress!)), at: 8, in: &attr)
                put(UInt64(UInt(bitPattern: licence.baseAddress!)), at: 16, in: &attr)
                attr.replaceSubrange(48..<(48 + name.count), with: name)  // prog_name
                put(UInt32(28), at: 68, in: &attr)                    // expected_attach_type: BPF_TRACE_ITER
                put(layout.function, at: 108, in: &attr)              // attach_btf_id
                return bpf(5, &attr)                                  // BPF_PROG_LOAD
            }
        }
        guard program >= 0 else { return .failure(.refused(operation: "load", Errno(rawValue: -program))) }
        var linkAttr = [UInt8](repeating: 0, count: 64)
        put(UInt32(program), at: 0, in: &linkAttr)                    // link_create.prog_fd
        put(UInt32(28), at: 8, in: &linkAttr)                         // attach_type: BPF_TRACE_ITER
        let link = bpf(28, &linkAttr)                                 // BPF_LINK_CREATE
        guard link >= 0 else {
            close(program)
            return .failure(.refused(operation: "attach", Errno(rawValue: -link)))
        }
        return .success(SocketOwnerIterator(program: program, link: link))
    }

    /// A field of `union bpf_attr`, in the machine's byte order as the kernel reads it.
    private static func put<T: FixedWidthInteger>(_ value: T, at offset: Int, in bytes: inout [UInt8]) {
        withUnsafeBytes(of: value) { bytes.replaceSubrange(offset..<(offset + $0.count), with: $0) }
    }

    private static func bpf(_ command: Int32, _ attr: inout [UInt8]) -> Int32 {
        attr.withUnsafeMutableBytes { mptop_bpf(command, $0.baseAddress, UInt32($0.count)) }
    }

    /// One pass over every task's sockets, in pid order, handed to `body` a batch at a time;
    /// `body` returns false to stop early. Fails only when the pass cannot start or a read fails.
    func forEachBatch(_ body: (UnsafeBufferPointer<Record>) -> Bool) -> Result<Void, Unavailable> {
        var attr = [UInt8](repeating: 0, count: 16)
        Self.put(UInt32(link), at: 0, in: &attr)                      // iter_create.link_fd
        let iterator = Self.bpf(33, &attr)                            // BPF_ITER_CREATE
        guard iterator >= 0 else { return .failure(.refused(operation: "run", Errno(rawValue: -iterator))) }
        defer { close(iterator) }
        // The kernel fills up to 8 pages a read, whole records as each is written at once; a
        // piece of one left over would be kept for the next read all the same.
        var raw = [UInt8](repeating: 0, count: 64 * 1024)
        var records: [Record] = []
        records.reserveCapacity(raw.count / 16)
        var kept = 0
        while true {
            let n = raw.withUnsafeMutableBytes { read(iterator, $0.baseAddress! + kept, $0.count - kept) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { return .failure(.refused(operation: "run", Errno(rawValue: errno))) }
            guard n > 0 else { return .success(()) }
            let whole = (kept + n) / 16 * 16
            records.removeAll(keepingCapacity: true)
            raw.withUnsafeBytes { bytes in
                for at in stride(from: 0, to: whole, by: 16) {
                    records.append(Record(pid: bytes.loadUnaligned(fromByteOffset: at, as: Int32.self),
                                          descriptor: bytes.loadUnaligned(fromByteOffset: at + 4, as: Int32.self),
                                          inode: UInt32(truncatingIfNeeded: bytes.loadUnaligned(fromByteOffset: at + 8, as: UInt64.self))))
                }
            }
            kept = kept + n - whole
            if kept > 0 { raw.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[whole..<(whole + kept)])) } }
            guard records.withUnsafeBufferPointer(body) else { return .success(()) }
        }
    }
}

// In an extension, so that the memberwise initializer (the tests') stays.
extension SocketOwnerIterator.Layout {
    /// Each field with the size the program loads: a kernel where one changed type is not
    /// one the program was written for.
    init(_ btf: KernelBTF) throws(SocketOwnerIterator.Unavailable) {
        guard let id = btf.functionID(SocketOwnerIterator.iteratorFunction) else { throw .missing(SocketOwnerIterator.iteratorFunction) }
        func member(_ name: String, of structure: String, size: Int) throws(SocketOwnerIterator.Unavailable) -> Int {
            // An instruction's offset is 16 bits: a field beyond is none the program can load.
            guard let m = btf.member(name, of: structure), m.size == size, m.offset + size <= Int(Int16.max) else {
                throw .missing("\(structure).\(name)")
            }
            return m.offset
        }
        self.init(function: id,
                  fileInode: try member("f_inode", of: "file", size: 8),
                  inodeMode: try member("i_mode", of: "inode", size: 2),
                  inodeNumber: try member("i_ino", of: "inode", size: 8),
                  taskGroup: try member("tgid", of: "task_struct", size: 4))
    }
}
