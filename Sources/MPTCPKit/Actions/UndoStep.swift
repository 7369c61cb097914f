/// One change mptop made and how to put it back. Written to the journal before the change, so
/// a run killed hard (SIGKILL) can be undone by the next start of mptop.
public enum UndoStep: Sendable, Equatable {
    /// Delete mptop's own nftables table (`inet NAME`).
    case deleteNftTable(String)
    /// Give an in-kernel endpoint back its flags.
    case endpointFlags(id: UInt8, flags: UInt32)
    /// Userspace PM: give one subflow back its backup flag.
    case subflowBackup(token: UInt32, local: SocketAddress, remote: SocketAddress, backup: Bool)
    /// Userspace PM: re-create a closed subflow.
    case createSubflow(token: UInt32, local: IPAddress, interfaceIndex: Int32, remote: SocketAddress)

    /// One journal line (words separated by spaces; no word contains a space).
    public var line: String {
        switch self {
        case .deleteNftTable(let t): return "nft-table \(t)"
        case .endpointFlags(let id, let flags): return "endpoint-flags \(id) \(flags)"
        case .subflowBackup(let token, let l, let r, let b): return "subflow-backup \(hex(token)) \(l) \(r) \(b ? 1 : 0)"
        case .createSubflow(let token, let l, let i, let r): return "create-subflow \(hex(token)) \(l) \(i) \(r)"
        }
    }

    public init?(line: String) {
        let w = line.split(separator: " ").map(String.init)
        switch (w.first, w.count) {
        case ("nft-table", 2):
            self = .deleteNftTable(w[1])
        case ("endpoint-flags", 3):
            guard let id = UInt8(w[1]), let f = UInt32(w[2]) else { return nil }
            self = .endpointFlags(id: id, flags: f)
        case ("subflow-backup", 5):
            guard let t = UInt32(w[1], radix: 16), let l = try? SocketAddressText.parse(w[2]),
                  let r = try? SocketAddressText.parse(w[3]) else { return nil }
            self = .subflowBackup(token: t, local: l, remote: r, backup: w[4] == "1")
        case ("create-subflow", 5):
            guard let t = UInt32(w[1], radix: 16), let l = IPAddress(w[2]), let i = Int32(w[3]),
                  let r = try? SocketAddressText.parse(w[4]) else { return nil }
            self = .createSubflow(token: t, local: l, interfaceIndex: i, remote: r)
        default:
            return nil
        }
        // Only what `line` itself writes: one spelling per step, every value in range.
        guard isValid, self.line == line else { return nil }
    }

    /// Whether every value is one mptop can have recorded: the table is one of mptop's own
    /// failover tables, the endpoint id is 1-255, the interface index is not negative. (Flags
    /// are the kernel's own bits, given back as they were: a newer kernel may have more.)
    public var isValid: Bool {
        switch self {
        case .deleteNftTable(let t): return NftBlackhole.run(ofTable: t) != nil
        case .endpointFlags(let id, _): return id != 0
        case .subflowBackup: return true
        case .createSubflow(_, _, let i, _): return i >= 0
        }
    }

    /// Puts the change back, in the calling thread's namespace. Checks the step again first:
    /// it may come from a file.
    public func perform() throws {
        guard isValid else { throw MPTopError.io("refusing an undo step mptop cannot have written: \(line)") }
        switch self {
        case .deleteNftTable(let t):
            try NftBlackhole.deleteTable(t)
        case .endpointFlags(let id, let flags):
            try PathManagerClient().setEndpointFlags(id: id, flags: .init(rawValue: flags))
        case .subflowBackup(let token, let l, let r, let b):
            try PathManagerClient().setSubflowBackup(token: token, local: l, remote: r, backup: b)
        case .createSubflow(let token, let l, let i, let r):
            try PathManagerClient().createSubflow(token: token, local: l, interfaceIndex: i == 0 ? nil : i, remote: r)
        }
    }
}
