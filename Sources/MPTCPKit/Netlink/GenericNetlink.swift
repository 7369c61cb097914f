/// Generic netlink: the `genlmsghdr` that follows the netlink header, and resolving a family
/// (its id is dynamic, e.g. 28 for `mptcp_pm` on one boot) and its multicast groups by name.
public enum GenericNetlink {
    /// `struct genlmsghdr` is 4 bytes: cmd, version, reserved.
    public static let headerSize = 4
    static let controllerID: UInt16 = 16        // GENL_ID_CTRL
    static let getFamily: UInt8 = 3             // CTRL_CMD_GETFAMILY
    static let attrFamilyID: UInt16 = 1         // CTRL_ATTR_FAMILY_ID (u16)
    static let attrFamilyName: UInt16 = 2       // CTRL_ATTR_FAMILY_NAME
    static let attrMulticastGroups: UInt16 = 7  // CTRL_ATTR_MCAST_GROUPS (nest of nests)
    static let groupAttrName: UInt16 = 1        // CTRL_ATTR_MCAST_GRP_NAME
    static let groupAttrID: UInt16 = 2          // CTRL_ATTR_MCAST_GRP_ID (u32)

    /// A request to `family` with command `command`; attributes are appended by the caller.
    public static func request(family: UInt16, command: UInt8, version: UInt8 = 1,
                               flags: UInt16 = NetlinkConstants.flagRequest | NetlinkConstants.flagAck) -> NetlinkRequestBuilder {
        var b = NetlinkRequestBuilder(type: family, flags: flags)
        b.append([command, version, 0, 0])
        return b
    }

    /// Splits a generic netlink message into its command and its attributes' bytes.
    public static func split(_ message: NetlinkMessage) -> (command: UInt8, attributes: ByteView)? {
        guard let command = message.payload.u8(0),
              let attributes = message.payload.slice(headerSize, message.payload.count - headerSize) else { return nil }
        return (command, attributes)
    }
}

/// A resolved generic netlink family.
public struct GenericNetlinkFamily: Equatable, Sendable {
    public let name: String
    public let id: UInt16
    /// Multicast group name -> group id (the id to join with NETLINK_ADD_MEMBERSHIP).
    public let groups: [String: UInt32]

    /// Asks the kernel's controller for `name`. Throws `.netlink` with ENOENT when the family is
    /// not registered (e.g. MPTCP built without its path-manager netlink, or no MPTCP at all).
    public static func resolve(_ name: String, on socket: NetlinkSocket) throws -> GenericNetlinkFamily {
        var request = GenericNetlink.request(family: GenericNetlink.controllerID, command: GenericNetlink.getFamily)
        request.appendAttribute(type: GenericNetlink.attrFamilyName, payload: Array(name.utf8) + [0])
        var found: GenericNetlinkFamily?
        try socket.request(request) { message in
            if let family = decode(message) { found = family }
        }
        guard let family = found else { throw MPTopError.malformed("no reply for generic netlink family '\(name)'") }
        return family
    }

    /// Decodes a CTRL_CMD_NEWFAMILY reply; nil without a family id and name.
    static func decode(_ message: NetlinkMessage) -> GenericNetlinkFamily? {
        guard let (_, attributes) = GenericNetlink.split(message) else { return nil }
        var id: UInt16?
        var name: String?
        var groups: [String: UInt32] = [:]
        for a in NetlinkAttributes(attributes) {
            switch a.type {
            case GenericNetlink.attrFamilyID: id = a.payload.u16(0)
            case GenericNetlink.attrFamilyName: name = a.payload.cString()
            case GenericNetlink.attrMulticastGroups:
                for group in NetlinkAttributes(a.payload) {
                    var groupName: String?
                    var groupID: UInt32?
                    for g in NetlinkAttributes(group.payload) {
                        if g.type == GenericNetlink.groupAttrName { groupName = g.payload.cString() }
                        if g.type == GenericNetlink.groupAttrID { groupID = g.payload.u32(0) }
                    }
                    if let groupName, let groupID { groups[groupName] = groupID }
                }
            default: break
            }
        }
        guard let id, let name else { return nil }
        return GenericNetlinkFamily(name: name, id: id, groups: groups)
    }
}
