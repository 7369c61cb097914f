/// Decodes event messages of the `mptcp_pm` family from their bytes: a pure function, so the
/// captured fixtures and hand-made messages of older and newer kernels test it without a kernel.
public enum PathManagerEventDecoder {
    /// `MPTCP_ATTR_*` numbers (unchanged from the 6.1 header to 6.18, docs/kernel.md, "Path-manager events").
    public enum Attribute {
        public static let token: UInt16 = 1
        public static let family: UInt16 = 2
        public static let localID: UInt16 = 3
        public static let remoteID: UInt16 = 4
        public static let sourceIPv4: UInt16 = 5
        public static let sourceIPv6: UInt16 = 6
        public static let destinationIPv4: UInt16 = 7
        public static let destinationIPv6: UInt16 = 8
        /// Ports are big-endian here, unlike the path-manager endpoint port.
        public static let sourcePort: UInt16 = 9
        public static let destinationPort: UInt16 = 10
        public static let backup: UInt16 = 11
        public static let error: UInt16 = 12
        public static let flags: UInt16 = 13
        public static let timeout: UInt16 = 14
        public static let interfaceIndex: UInt16 = 15
        public static let resetReason: UInt16 = 16
        public static let resetFlags: UInt16 = 17
        public static let serverSide: UInt16 = 18
    }

    /// Decodes one netlink message. Returns nil when it is not an event of `familyID` (when
    /// given) or too short to hold a generic netlink header; never traps on bad bytes.
    public static func decode(_ message: NetlinkMessage, familyID: UInt16? = nil,
                              time: Double = 0, monotonic: UInt64 = 0) -> PathManagerEvent? {
        if let familyID, message.type != familyID { return nil }
        guard message.type > NetlinkConstants.typeOverrun, let (command, attributes) = GenericNetlink.split(message) else { return nil }
        return decode(command: command, attributes: attributes, time: time, monotonic: monotonic)
    }

    /// Decodes an event from its command byte and attribute bytes.
    public static func decode(command: UInt8, attributes: ByteView, time: Double = 0, monotonic: UInt64 = 0) -> PathManagerEvent {
        var e = PathManagerEvent(kind: PathManagerEventKind(rawValue: command), time: time, monotonic: monotonic)
        var saddr: IPAddress?, daddr: IPAddress?
        var sport: UInt16?, dport: UInt16?
        var iterator = NetlinkAttributes(attributes)
        while let a = iterator.next() {
            let p = a.payload
            // A known attribute with a length this decoder does not expect is kept raw, not guessed at.
            var understood = true
            switch a.type {
            case Attribute.token: if p.count == 4 { e.token = p.u32(0) } else { understood = false }
            case Attribute.family:
                if p.count == 2, let f = p.u16(0), let fam = IPAddress.Family(rawValue: UInt8(truncatingIfNeeded: f)), f <= 0xff {
                    e.family = fam
                } else { understood = false }
            case Attribute.localID: if p.count == 1 { e.localID = p.u8(0) } else { understood = false }
            case Attribute.remoteID: if p.count == 1 { e.remoteID = p.u8(0) } else { understood = false }
            case Attribute.sourceIPv4:
                if p.count == 4 { saddr = IPAddress(family: .ipv4, view: p, offset: 0) } else { understood = false }
            case Attribute.sourceIPv6:
                if p.count == 16 { saddr = IPAddress(family: .ipv6, view: p, offset: 0) } else { understood = false }
            case Attribute.destinationIPv4:
                if p.count == 4 { daddr = IPAddress(family: .ipv4, view: p, offset: 0) } else { understood = false }
            case Attribute.destinationIPv6:
                if p.count == 16 { daddr = IPAddress(family: .ipv6, view: p, offset: 0) } else { understood = false }
            case Attribute.sourcePort: if p.count == 2 { sport = p.be16(0) } else { understood = false }
            case Attribute.destinationPort: if p.count == 2 { dport = p.be16(0) } else { understood = false }
            case Attribute.backup: if p.count == 1 { e.backup = p.u8(0).map { $0 != 0 } } else { understood = false }
            case Attribute.error: if p.count == 1 { e.error = p.u8(0).map { PathManagerEventError(errno: Int32($0)) } } else { understood = false }
            case Attribute.flags: if p.count == 2 { e.flags = p.u16(0) } else { understood = false }
            case Attribute.timeout: if p.count == 4 { e.timeout = p.u32(0) } else { understood = false }
            // The spec says u32, the kernel puts an s32; both are 4 bytes.
            case Attribute.interfaceIndex: if p.count == 4 { e.interfaceIndex = p.u32(0).map { Int32(bitPattern: $0) } } else { understood = false }
            case Attribute.resetReason: if p.count == 4 { e.resetReason = p.u32(0).map(PathManagerResetReason.init(code:)) } else { understood = false }
            case Attribute.resetFlags: if p.count == 4 { e.resetFlags = p.u32(0) } else { understood = false }
            case Attribute.serverSide: if p.count == 1 { e.serverSideAttribute = p.u8(0) } else { understood = false }
            default: understood = false
            }
            if !understood { e.rawAttributes.append(.init(type: a.type, bytes: Array(p.base))) }
        }
        e.truncated = iterator.malformed
        if e.family == nil { e.family = saddr?.family ?? daddr?.family }
        if let saddr { e.local = SocketAddress(saddr, sport ?? 0) }
        if let daddr { e.remote = SocketAddress(daddr, dport ?? 0) }
        // A port without its address (not sent by any known kernel) must not vanish either.
        if saddr == nil, let sport { e.rawAttributes.append(.init(type: Attribute.sourcePort, bytes: bigEndianBytes(sport))) }
        if daddr == nil, let dport { e.rawAttributes.append(.init(type: Attribute.destinationPort, bytes: bigEndianBytes(dport))) }
        return e
    }

    private static func bigEndianBytes(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xff)] }
}
