import FuzzInput
@testable import MPTCPKit

/// rtnetlink replies the interface table reads: the RTM_GETLINK and RTM_GETADDR dumps and the
/// RTM_GETROUTE answer, through the same decoders `InterfaceTable.refresh` and its route lookup use.
func fuzzRouteNetlink(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let messages = FuzzInput(data, size).messages
    var links: [UInt32: InterfaceTable.Link] = [:]
    var owners: [IPAddress: UInt32] = [:]
    var oif: UInt32?
    for m in messages { InterfaceTable.decodeLink(m, into: &links) }
    for m in messages { InterfaceTable.decodeAddress(m, links: links, into: &owners) }
    for m in messages { InterfaceTable.decodeRoute(m, into: &oif) }
    return 0
}
