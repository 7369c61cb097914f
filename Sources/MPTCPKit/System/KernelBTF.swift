import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// What mptop needs from the kernel's description of its own types (BTF, at
/// /sys/kernel/btf/vmlinux) to load its socket-owner iterator (`SocketOwnerIterator`): the type
/// id of one kernel function, and where a few struct members lie and how big they are.
///
/// Written here, not taken from libbpf: `btf__load_vmlinux_btf` checks and indexes every one of
/// the kernel's ~150,000 types, 13–36 ms on the build machine (as much as the /proc scan the
/// iterator replaces), where one walk over the mapped file that looks at the names asked for
/// takes about a millisecond. The file is the kernel's, but it is parsed as if it were not:
/// every offset is checked against the bytes, and anything unexpected makes the lookup fail
/// (the caller then scans /proc instead).
struct KernelBTF {
    /// A struct member found by name: its byte offset in the struct and its type's size.
    struct Member: Equatable {
        let offset: Int
        let size: Int
    }

    enum Failure: Error, Equatable {
        /// Too short, not BTF, another version or byte order, or a section outside the file.
        case badHeader
        /// A type record that runs past its section, or of a kind this reader does not know.
        case badTypes
    }

    private let types: UnsafeRawBufferPointer
    private let strings: UnsafeRawBufferPointer
    /// Where each type's record starts in `types`; type id n is `starts[n - 1]` (id 0 is void).
    private let starts: [UInt32]
    /// Ids of the functions and structs asked for when it was read, by name.
    private var functionIDs: [String: UInt32] = [:]
    private var structIDs: [String: UInt32] = [:]

    /// BTF kinds (include/uapi/linux/btf.h).
    private enum Kind: UInt8 {
        case int = 1, pointer, array, structure, union, enumeration, forward, typedef, volatile,
             constant, restrict, function, functionPrototype, variable, dataSection, float,
             declarationTag, typeTag, enumeration64

        /// Bytes of data after a record of this kind with `count` members.
        func extra(_ count: Int) -> Int {
            switch self {
            case .int, .variable, .declarationTag: return 4
            case .pointer, .forward, .typedef, .volatile, .constant, .restrict, .function, .float, .typeTag: return 0
            case .array: return 12
            case .structure, .union, .dataSection, .enumeration64: return 12 * count
            case .enumeration, .functionPrototype: return 8 * count
            }
        }
    }

    /// Reads the BTF in `bytes` (which must outlive the value), noting the ids of the functions
    /// and structs named: the names are compared during the one walk over the types.
    init(_ bytes: UnsafeRawBufferPointer, functions: [String], structs: [String]) throws(Failure) {
        func u32(_ at: Int) -> UInt32 { bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self) }
        // struct btf_header: magic (u16), version, flags, hdr_len, type_off, type_len, str_off, str_len.
        guard bytes.count >= 24, bytes.loadUnaligned(as: UInt16.self) == 0xEB9F, bytes[2] == 1 else { throw .badHeader }
        let headerLength = Int(u32(4))
        guard headerLength >= 24, headerLength <= bytes.count else { throw .badHeader }
        func section(_ offset: UInt32, _ length: UInt32) throws(Failure) -> UnsafeRawBufferPointer {
            let start = headerLength + Int(offset), end = start + Int(length)
            guard end <= bytes.count else { throw .badHeader }
            return UnsafeRawBufferPointer(rebasing: bytes[start..<end])
        }
        types = try section(u32(8), u32(12))
        strings = try section(u32(16), u32(20))

        var wantedFunctions = WantedNames(functions), wantedStructs = WantedNames(structs)
        var starts: [UInt32] = []
        starts.reserveCapacity(types.count / 16)
        var at = 0
        while at < types.count {
            guard at + 12 <= types.count else { throw .badTypes }
            let info = types.loadUnaligned(fromByteOffset: at + 4, as: UInt32.self)
            guard let kind = Kind(rawValue: UInt8((info >> 24) & 0x1F)) else { throw .badTypes }
            let count = Int(info & 0xFFFF), extra = kind.extra(count)
            guard at + 12 + extra <= types.count else { throw .badTypes }
            starts.append(UInt32(at))
            if kind == .function {
                wantedFunctions.note(types.loadUnaligned(fromByteOffset: at, as: UInt32.self), in: strings, id: UInt32(starts.count))
            } else if kind == .structure && count > 0 {
                wantedStructs.note(types.loadUnaligned(fromByteOffset: at, as: UInt32.self), in: strings, id: UInt32(starts.count))
            }
            at += 12 + extra
        }
        functionIDs = wantedFunctions.found
        structIDs = wantedStructs.found
        self.starts = starts
    }

    /// The names looked for in the walk, and the ids found for them. The walk meets about
    /// 150,000 types, 60,000 of them functions: a name is compared where it lies in the string
    /// section, and nothing is hashed or retained per type (a Dictionary look-up and the
    /// names' arrays per function were 45 M instructions, 10 ms, of the iterator's loading).
    private struct WantedNames {
        let names: [String]
        /// Every name's bytes, one after the other, and where each lies in them.
        let bytes: [UInt8]
        let ranges: [Range<Int>]
        /// Each name's type id; 0 until found. The first of a name is taken: vmlinux BTF is
        /// deduplicated, one struct a name.
        var ids: [UInt32]
        var left: Int

        init(_ names: [String]) {
            self.names = names
            var bytes: [UInt8] = [], ranges: [Range<Int>] = []
            for name in names {
                ranges.append(bytes.count..<bytes.count + name.utf8.count)
                bytes.append(contentsOf: name.utf8)
            }
            self.bytes = bytes
            self.ranges = ranges
            ids = Array(repeating: 0, count: names.count)
            left = names.count
        }

        /// Notes `id` for each name not found yet that the string at `nameOffset` is.
        @inline(__always)
        mutating func note(_ nameOffset: UInt32, in strings: UnsafeRawBufferPointer, id: UInt32) {
            guard left > 0 else { return }
            for k in ranges.indices where ids[k] == 0 {
                let matches = bytes.withUnsafeBufferPointer { b in
                    KernelBTF.string(at: nameOffset, in: strings, is: UnsafeBufferPointer(rebasing: b[ranges[k]]))
                }
                if matches { ids[k] = id; left -= 1 }
            }
        }

        var found: [String: UInt32] {
            var found: [String: UInt32] = [:]
            for (k, name) in names.enumerated() where ids[k] != 0 { found[name] = ids[k] }
            return found
        }
    }

    /// Whether the string at `offset` of the string section is `name` (bytes without the NUL).
    /// Most names end elsewhere or differ in their first byte: one or two bytes read of them.
    private static func string(at offset: UInt32, in strings: UnsafeRawBufferPointer, is name: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = Int(offset), end = start + name.count
        guard end < strings.count, strings[end] == 0 else { return false }
        for i in 0..<name.count where strings[start + i] != name[i] { return false }
        return true
    }

    /// The type id of function `name`, if it was asked for when read and exists.
    func functionID(_ name: String) -> UInt32? { functionIDs[name] }

    /// Member `member` of struct `structure` (asked for when read), looked for also inside the
    /// struct's unnamed unions and structs; nil when absent or a bit field.
    func member(_ member: String, of structure: String) -> Member? {
        guard let id = structIDs[structure] else { return nil }
        let name = Array(member.utf8)
        return name.withUnsafeBufferPointer { find($0, in: id, at: 0, depth: 0) }
    }

    private func record(_ id: UInt32) -> (kind: Kind?, count: Int, kindFlag: Bool, sizeOrType: UInt32, at: Int)? {
        guard id > 0, Int(id) <= starts.count else { return nil }
        let at = Int(starts[Int(id) - 1])
        let info = types.loadUnaligned(fromByteOffset: at + 4, as: UInt32.self)
        return (Kind(rawValue: UInt8((info >> 24) & 0x1F)), Int(info & 0xFFFF), info >> 31 == 1,
                types.loadUnaligned(fromByteOffset: at + 8, as: UInt32.self), at)
    }

    private func find(_ name: UnsafeBufferPointer<UInt8>, in id: UInt32, at base: Int, depth: Int) -> Member? {
        guard depth < 8, let r = record(id), r.kind == .structure || r.kind == .union else { return nil }
        for i in 0..<r.count {
            let m = r.at + 12 + 12 * i
            let nameOffset = types.loadUnaligned(fromByteOffset: m, as: UInt32.self)
            let type = types.loadUnaligned(fromByteOffset: m + 4, as: UInt32.self)
            var bits = types.loadUnaligned(fromByteOffset: m + 8, as: UInt32.self)
            if r.kindFlag {
                guard bits >> 24 == 0 else { continue }  // a bit field
                bits &= 0xFF_FFFF
            }
            guard bits % 8 == 0 else { continue }
            let offset = base + Int(bits / 8)
            if nameOffset == 0 {
                // An unnamed union or struct: its members are the outer struct's.
                if let found = find(name, in: resolved(type), at: offset, depth: depth + 1) { return found }
            } else if Self.string(at: nameOffset, in: strings, is: name) {
                guard let size = size(of: type) else { return nil }
                return Member(offset: offset, size: size)
            }
        }
        return nil
    }

    /// `id` with typedefs and qualifiers taken off.
    private func resolved(_ id: UInt32) -> UInt32 {
        var id = id
        for _ in 0..<16 {
            guard let r = record(id) else { return id }
            switch r.kind {
            case .typedef, .volatile, .constant, .restrict, .typeTag: id = r.sizeOrType
            default: return id
            }
        }
        return id
    }

    private func size(of id: UInt32) -> Int? {
        guard let r = record(resolved(id)) else { return nil }
        switch r.kind {
        case .pointer: return MemoryLayout<UInt>.size
        case .int, .enumeration, .enumeration64, .structure, .union, .float: return Int(r.sizeOrType)
        default: return nil
        }
    }
}

extension KernelBTF {
    static let vmlinuxPath = "/sys/kernel/btf/vmlinux"

    /// Calls `body` with the running kernel's BTF, mapped (Linux 6.16+ lets /sys/kernel/btf/vmlinux
    /// be mapped: no copy of its 5 MB) or else read (`mapped` false: read, for the tests); nil
    /// when it cannot be had.
    static func withVmlinux<R>(functions: [String], structs: [String], mapped: Bool = true, _ body: (KernelBTF) -> R?) -> R? {
        let fd = open(vmlinuxPath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        // Its size is the BTF's; a limit keeps a strange file from eating memory.
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0, info.st_size < 256 << 20 else { return nil }
        let size = Int(info.st_size)
        if mapped, let map = mmap(nil, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0), map != MAP_FAILED {
            defer { munmap(map, size) }
            guard let btf = try? KernelBTF(UnsafeRawBufferPointer(start: map, count: size), functions: functions, structs: structs) else { return nil }
            return body(btf)
        }
        // Before 6.16: read, in the 4 KiB pieces sysfs hands out.
        guard let copy = try? TextFile.bytes(descriptor: FileDescriptor(rawValue: fd), path: vmlinuxPath, limit: size) else { return nil }
        return copy.withUnsafeBytes { bytes in
            guard let btf = try? KernelBTF(bytes, functions: functions, structs: structs) else { return nil }
            return body(btf)
        }
    }
}
