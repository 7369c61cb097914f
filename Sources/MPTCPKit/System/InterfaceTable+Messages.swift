/// The rtnetlink replies `InterfaceTable` reads, decoded without a socket: each folds one
/// message into what the dump has gathered so far, so a fuzzer or a test can feed it any bytes.
extension InterfaceTable {
    /// RTM_NEWLINK (struct ifinfomsg, then attributes): the link named by its IFLA_IFNAME (the
    /// last one, should there be several). Other messages and links without a name change nothing.
    static func decodeLink(_ m: NetlinkMessage, into links: inout [UInt32: Link]) {
        guard m.type == 16, let index = m.payload.u32(4), let flags = m.payload.u32(8),
              let attrs = m.payload.slice(16, m.payload.count - 16) else { return }
        for a in NetlinkAttributes(attrs) where a.type == 3 { // IFLA_IFNAME
            links[index] = Link(index: index, name: a.payload.cString(), up: flags & 0x1 != 0, loopback: flags & 0x8 != 0,
                                running: flags & 0x40 != 0)
        }
    }

    /// RTM_NEWADDR (struct ifaddrmsg, then attributes): the address (IFA_LOCAL, else IFA_ADDRESS)
    /// and the interface that owns it, unless that interface is a loopback one in `links`.
    static func decodeAddress(_ m: NetlinkMessage, links: [UInt32: Link], into owners: inout [IPAddress: UInt32]) {
        guard m.type == 20, let fam = m.payload.u8(0), let family = IPAddress.Family(rawValue: fam),
              let index = m.payload.u32(4), let attrs = m.payload.slice(8, m.payload.count - 8) else { return }
        if links[index]?.loopback ?? false { return }
        var local: IPAddress?, address: IPAddress?
        for a in NetlinkAttributes(attrs) {
            if a.type == 2 { local = IPAddress(family: family, view: a.payload, offset: 0) }
            if a.type == 1 { address = IPAddress(family: family, view: a.payload, offset: 0) }
        }
        if let addr = local ?? address { owners[addr] = index }
    }

    /// RTM_NEWROUTE (struct rtmsg, then attributes), the answer to a route lookup: its RTA_OIF.
    static func decodeRoute(_ m: NetlinkMessage, into oif: inout UInt32?) {
        guard m.type == 24, let attrs = m.payload.slice(12, m.payload.count - 12) else { return }
        for a in NetlinkAttributes(attrs) where a.type == 4 { oif = a.payload.u32(0) } // RTA_OIF
    }
}
