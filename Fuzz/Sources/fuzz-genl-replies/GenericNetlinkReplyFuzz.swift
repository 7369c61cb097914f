import FuzzInput
@testable import MPTCPKit

/// Replies on the generic netlink socket: the controller's CTRL_CMD_NEWFAMILY (family id and
/// multicast groups), `mptcp_pm` endpoint dumps (MPTCP_PM_ATTR_ADDR nests), and NLMSG_ERROR
/// replies with the kernel's extended-ACK text.
func fuzzGenericNetlinkReplies(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    for m in FuzzInput(data, size).messages {
        if m.type == NetlinkConstants.typeError {
            _ = NetlinkExtendedAck.message(in: m)
            continue
        }
        if let family = GenericNetlinkFamily.decode(m) { _ = family.groups["mptcp_pm_events"] }
        guard let (_, attributes) = GenericNetlink.split(m) else { continue }
        for a in NetlinkAttributes(attributes) where a.type == PathManagerClient.Attribute.address {
            if let endpoint = PathManagerClient.decodeEndpoint(a.payload) { _ = endpoint.flags.rawValue }
        }
    }
    return 0
}
