/// One in-kernel path-manager endpoint (`ip mptcp endpoint show`).
public struct PathManagerEndpoint: Equatable, Sendable {
    /// `MPTCP_PM_ADDR_FLAG_*` bits (docs/kernel.md, "The path manager"). LAMINAR is new in 6.18.
    public struct Flags: OptionSet, Equatable, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        public static let signal = Flags(rawValue: 1 << 0)
        public static let subflow = Flags(rawValue: 1 << 1)
        public static let backup = Flags(rawValue: 1 << 2)
        public static let fullmesh = Flags(rawValue: 1 << 3)
        public static let implicit = Flags(rawValue: 1 << 4)
        public static let laminar = Flags(rawValue: 1 << 5)

        /// Names as `ip mptcp endpoint` prints them; unknown bits as hex.
        public var names: [String] {
            let known: [(Flags, String)] = [(.signal, "signal"), (.subflow, "subflow"), (.backup, "backup"),
                                            (.fullmesh, "fullmesh"), (.implicit, "implicit"), (.laminar, "laminar")]
            var out = known.filter { contains($0.0) }.map(\.1)
            let unknown = rawValue & ~0x3f
            if unknown != 0 { out.append("0x" + String(unknown, radix: 16)) }
            return out
        }
    }

    public var id: UInt8
    public var address: IPAddress?
    /// 0 when the endpoint has no port of its own.
    public var port: UInt16
    public var flags: Flags
    /// The bound interface index, when the endpoint names a device.
    public var interfaceIndex: Int32?

    public init(id: UInt8, address: IPAddress?, port: UInt16 = 0, flags: Flags, interfaceIndex: Int32? = nil) {
        self.id = id
        self.address = address
        self.port = port
        self.flags = flags
        self.interfaceIndex = interfaceIndex
    }
}

/// `ip mptcp limits`: how many extra subflows and accepted ADD_ADDRs a connection may have.
public struct PathManagerLimits: Equatable, Sendable {
    public var subflows: UInt32
    public var addAddrAccepted: UInt32
    public init(subflows: UInt32, addAddrAccepted: UInt32) {
        self.subflows = subflows
        self.addAddrAccepted = addAddrAccepted
    }
}
