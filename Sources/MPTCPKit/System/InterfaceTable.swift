/// The namespace's interfaces and addresses, from rtnetlink, and which interface carries a subflow.
public final class InterfaceTable {
    public struct Link: Sendable {
        public let index: UInt32
        public let name: String
        /// Administratively up (IFF_UP).
        public let up: Bool
        public let loopback: Bool
        /// Operationally up (IFF_RUNNING): up and with carrier. A veth whose peer is down is
        /// `up` but not `running`.
        public var running: Bool = false
    }

    public private(set) var links: [UInt32: Link] = [:]
    /// Local address → interface index (addresses on loopback excluded: they say nothing about the path).
    private var addressOwner: [IPAddress: UInt32] = [:]
    /// (local, remote) → output interface from a route lookup; kept until the tables change.
    private var routeCache: [RouteKey: UInt32] = [:]
    private var fingerprint = 0
    /// The last local-address lookup: thousands of subflows share a handful of local addresses.
    private var lastOwner: (address: IPAddress, index: UInt32)?
    private let socket: NetlinkSocket

    struct RouteKey: Hashable {
        let local: IPAddress
        let remote: IPAddress
    }

    public init() throws {
        socket = try NetlinkSocket(.route, receiveBuffer: 256 * 1024)
    }

    public func name(of index: UInt32) -> String? { links[index]?.name }

    /// The index of the interface called `name`, as of the last refresh.
    public func index(named name: String) -> UInt32? { links.values.first { $0.name == name }?.index }

    /// The (non-loopback) addresses on interface `index`, as of the last refresh.
    public func addresses(of index: UInt32) -> Set<IPAddress> { Set(addressOwner.filter { $0.value == index }.keys) }

    /// Re-reads links and addresses (two small dumps). Drops the route cache when they changed.
    public func refresh() throws {
        var newLinks: [UInt32: Link] = [:]
        var req = NetlinkRequestBuilder(type: 18, flags: NetlinkConstants.flagRequest | NetlinkConstants.flagDump) // RTM_GETLINK
        req.append([UInt8](repeating: 0, count: 16)) // struct ifinfomsg
        try socket.dump(req) { Self.decodeLink($0, into: &newLinks) }
        var owners: [IPAddress: UInt32] = [:]
        var areq = NetlinkRequestBuilder(type: 22, flags: NetlinkConstants.flagRequest | NetlinkConstants.flagDump) // RTM_GETADDR
        areq.append([UInt8](repeating: 0, count: 8)) // struct ifaddrmsg
        try socket.dump(areq) { Self.decodeAddress($0, links: newLinks, into: &owners) }
        var h = Hasher()
        for (i, l) in newLinks.sorted(by: { $0.key < $1.key }) { h.combine(i); h.combine(l.name); h.combine(l.up); h.combine(l.running) }
        for (a, i) in owners.sorted(by: { $0.key < $1.key }) { h.combine(a); h.combine(i) }
        let fp = h.finalize()
        if fp != fingerprint { routeCache.removeAll(keepingCapacity: true) }
        fingerprint = fp
        links = newLinks
        addressOwner = owners
        lastOwner = nil
    }

    /// The interface that carries a subflow: the device it is bound to, else the interface that
    /// owns its local address, else the kernel's route to the peer (a server answering from an
    /// address on `lo` sends out of whichever device the route names).
    public func resolve(local: IPAddress, remote: IPAddress, bound: UInt32) -> UInt32? {
        if bound != 0 { return bound }
        let l = local.unmapped, r = remote.unmapped
        if let last = lastOwner, last.address == l { return last.index }
        if let owner = addressOwner[l] {
            lastOwner = (l, owner)
            return owner
        }
        let key = RouteKey(local: l, remote: r)
        if let cached = routeCache[key] { return cached == 0 ? nil : cached }
        let oif = (try? routeLookup(local: l, remote: r)) ?? nil
        routeCache[key] = oif ?? 0
        return oif
    }

    /// The interface that has `address` (addresses on loopback are not counted), as of the last refresh.
    public func owner(of address: IPAddress) -> UInt32? { addressOwner[address.unmapped] }

    /// `ip route get REMOTE from LOCAL`: RTM_GETROUTE, answered by one RTM_NEWROUTE with RTA_OIF.
    private func routeLookup(local: IPAddress, remote: IPAddress) throws -> UInt32? {
        guard local.family == remote.family else { return nil }
        let bits: UInt8 = remote.family == .ipv4 ? 32 : 128
        var req = NetlinkRequestBuilder(type: 26, flags: NetlinkConstants.flagRequest | NetlinkConstants.flagAck)
        req.append([remote.family.rawValue, bits, local.isUnspecified ? 0 : bits, 0, 0, 0, 0, 0, 0, 0, 0, 0]) // struct rtmsg
        req.appendAttribute(type: 1, payload: remote.bytes) // RTA_DST
        if !local.isUnspecified { req.appendAttribute(type: 2, payload: local.bytes) } // RTA_SRC
        var oif: UInt32?
        try socket.request(req) { Self.decodeRoute($0, into: &oif) }
        return oif
    }
}
