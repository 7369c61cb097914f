#if canImport(Glibc)
import Glibc
#endif

/// Talks to the `mptcp_pm` generic netlink family in the calling thread's namespace.
///
/// Reading (endpoints, limits) needs no privilege; every command that changes something needs
/// CAP_NET_ADMIN (docs/kernel.md, "The path manager").
public final class PathManagerClient {
    public let socket: NetlinkSocket
    public let family: GenericNetlinkFamily

    /// Commands (`MPTCP_PM_CMD_*`) and attributes (`MPTCP_PM_ATTR_*`, `MPTCP_PM_ADDR_ATTR_*`).
    public enum Command: UInt8 {
        case addAddress = 1, deleteAddress, getAddress, flushAddresses, setLimits, getLimits, setFlags,
             announce, remove, subflowCreate, subflowDestroy
    }
    public enum Attribute {
        public static let address: UInt16 = 1
        public static let receiveAddAddrs: UInt16 = 2
        public static let subflows: UInt16 = 3
        public static let token: UInt16 = 4
        public static let localID: UInt16 = 5
        public static let remoteAddress: UInt16 = 6
    }
    public enum AddressAttribute {
        public static let family: UInt16 = 1
        public static let id: UInt16 = 2
        public static let ipv4: UInt16 = 3
        public static let ipv6: UInt16 = 4
        /// Host byte order, unlike the event attributes' ports.
        public static let port: UInt16 = 5
        public static let flags: UInt16 = 6
        public static let interfaceIndex: UInt16 = 7
    }

    /// Opens a generic netlink socket and resolves `mptcp_pm`. A kernel without it is `.mptcpMissing`.
    public init() throws {
        socket = try NetlinkSocket(.generic)
        do {
            family = try GenericNetlinkFamily.resolve("mptcp_pm", on: socket)
        } catch MPTopError.netlink(_, let e) where e == ENOENT {
            throw MPTopError.mptcpMissing
        }
    }

    /// A request for `command`, ready for attributes.
    public func request(_ command: Command, dump: Bool = false) -> NetlinkRequestBuilder {
        GenericNetlink.request(family: family.id, command: command.rawValue,
                               flags: NetlinkConstants.flagRequest | (dump ? NetlinkConstants.flagDump : NetlinkConstants.flagAck))
    }

    /// The namespace's endpoints, in the kernel's order (by id).
    public func endpoints() throws -> [PathManagerEndpoint] {
        var out: [PathManagerEndpoint] = []
        try socket.dump(request(.getAddress, dump: true)) { message in
            guard let (_, attributes) = GenericNetlink.split(message) else { return }
            for a in NetlinkAttributes(attributes) where a.type == Attribute.address {
                if let endpoint = Self.decodeEndpoint(a.payload) { out.append(endpoint) }
            }
        }
        return out
    }

    /// The namespace's limits.
    public func limits() throws -> PathManagerLimits {
        var subflows: UInt32 = 0
        var accepted: UInt32 = 0
        try socket.request(request(.getLimits)) { message in
            guard let (_, attributes) = GenericNetlink.split(message) else { return }
            for a in NetlinkAttributes(attributes) {
                if a.type == Attribute.subflows { subflows = a.payload.u32(0) ?? subflows }
                if a.type == Attribute.receiveAddAddrs { accepted = a.payload.u32(0) ?? accepted }
            }
        }
        return PathManagerLimits(subflows: subflows, addAddrAccepted: accepted)
    }

    /// Decodes one MPTCP_PM_ATTR_ADDR nest; nil without an id.
    public static func decodeEndpoint(_ nest: ByteView) -> PathManagerEndpoint? {
        var id: UInt8?
        var family: IPAddress.Family?
        var v4: ByteView?
        var v6: ByteView?
        var port: UInt16 = 0
        var flags: UInt32 = 0
        var index: Int32?
        for a in NetlinkAttributes(nest) {
            switch a.type {
            case AddressAttribute.family: family = a.payload.u16(0).flatMap { IPAddress.Family(rawValue: UInt8(truncatingIfNeeded: $0)) }
            case AddressAttribute.id: id = a.payload.u8(0)
            case AddressAttribute.ipv4: v4 = a.payload
            case AddressAttribute.ipv6: v6 = a.payload
            case AddressAttribute.port: port = a.payload.u16(0) ?? 0
            case AddressAttribute.flags: flags = a.payload.u32(0) ?? 0
            case AddressAttribute.interfaceIndex: index = a.payload.u32(0).map { Int32(bitPattern: $0) }
            default: break
            }
        }
        guard let id else { return nil }
        var address: IPAddress?
        if family != .ipv6, let v4 { address = IPAddress(family: .ipv4, view: v4, offset: 0) }
        if family != .ipv4, address == nil, let v6 { address = IPAddress(family: .ipv6, view: v6, offset: 0) }
        return PathManagerEndpoint(id: id, address: address, port: port,
                                   flags: .init(rawValue: flags), interfaceIndex: index == 0 ? nil : index)
    }
}
