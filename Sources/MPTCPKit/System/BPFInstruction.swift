/// One eBPF instruction as the kernel takes it (struct bpf_insn: opcode, destination and source
/// registers in one byte, a 16-bit offset, a 32-bit immediate), made by name: only the few
/// operations `SocketOwnerIterator` uses. mptop has no BPF compiler or object files; its one
/// program is short enough to be written out, and the kernel's verifier checks it on load.
struct BPFInstruction: Equatable {
    enum Register: UInt8 {
        /// r0: return value; r1–r5: arguments (r1 the context on entry); r6–r9 kept across
        /// calls; r10 the read-only frame pointer.
        case r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10
    }

    /// Load and store widths.
    enum Size: UInt8 {
        case word = 0x00, half = 0x08, byte = 0x10, double = 0x18
    }

    let code: UInt8
    let registers: UInt8
    let offset: Int16
    let immediate: Int32

    private init(_ code: UInt8, _ dst: Register = .r0, _ src: Register = .r0, offset: Int16 = 0, immediate: Int32 = 0) {
        self.code = code
        self.registers = dst.rawValue | src.rawValue << 4
        self.offset = offset
        self.immediate = immediate
    }

    // Classes and modes (include/uapi/linux/bpf_common.h, bpf.h).
    private static let load: UInt8 = 0x01 /* LDX */, store: UInt8 = 0x03 /* STX */, jump: UInt8 = 0x05,
                        alu64: UInt8 = 0x07, memory: UInt8 = 0x60, fromRegister: UInt8 = 0x08

    /// dst = src (64 bits).
    static func move(_ dst: Register, _ src: Register) -> Self { Self(alu64 | 0xB0 | fromRegister, dst, src) }
    /// dst = value.
    static func move(_ dst: Register, _ value: Int32) -> Self { Self(alu64 | 0xB0, dst, immediate: value) }
    /// dst += value.
    static func add(_ dst: Register, _ value: Int32) -> Self { Self(alu64 | 0x00, dst, immediate: value) }
    /// dst &= value.
    static func and(_ dst: Register, _ value: Int32) -> Self { Self(alu64 | 0x50, dst, immediate: value) }
    /// dst = *(size *)(src + offset).
    static func load(_ size: Size, _ dst: Register, from src: Register, _ offset: Int) -> Self {
        Self(load | memory | size.rawValue, dst, src, offset: Int16(offset))
    }
    /// *(size *)(dst + offset) = src.
    static func store(_ size: Size, _ src: Register, to dst: Register, _ offset: Int) -> Self {
        Self(store | memory | size.rawValue, dst, src, offset: Int16(offset))
    }
    /// Skips `skip` instructions when dst == value.
    static func jumpIfEqual(_ dst: Register, _ value: Int32, skip: Int) -> Self { Self(jump | 0x10, dst, offset: Int16(skip), immediate: value) }
    /// Skips `skip` instructions when dst != value.
    static func jumpIfNotEqual(_ dst: Register, _ value: Int32, skip: Int) -> Self { Self(jump | 0x50, dst, offset: Int16(skip), immediate: value) }
    /// Calls kernel helper number `helper`, arguments in r1–r5, result in r0.
    static func call(_ helper: Int32) -> Self { Self(jump | 0x80, immediate: helper) }
    static let exit = Self(jump | 0x90)

    /// The 8 bytes the kernel reads, in this machine's byte order.
    var bytes: [UInt8] {
        let o = UInt16(bitPattern: offset), i = UInt32(bitPattern: immediate)
        return [code, registers, UInt8(o & 0xFF), UInt8(o >> 8),
                UInt8(i & 0xFF), UInt8((i >> 8) & 0xFF), UInt8((i >> 16) & 0xFF), UInt8(i >> 24)]
    }
}
