/// The path-manager commands that change something (all need CAP_NET_ADMIN). Which path
/// manager accepts which command is in docs/kernel.md ("The path manager"): SET_FLAGS without a token is the in-kernel
/// endpoint form; with a token, and SUBFLOW_CREATE/DESTROY, are userspace-PM only.
extension PathManagerClient {
    /// The nested MPTCP_PM_ATTR_ADDR / ADDR_REMOTE payload: family, address, and the optional
    /// id, port (host order), flags and ifindex. Nests carry NLA_F_NESTED like iproute2's.
    static func addressNest(_ address: IPAddress?, id: UInt8? = nil, port: UInt16? = nil, flags: UInt32? = nil,
                            interfaceIndex: Int32? = nil) -> [UInt8] {
        var b = NetlinkRequestBuilder(type: 0, flags: 0)
        if let address {
            b.appendAttribute(type: AddressAttribute.family, payload: withUnsafeBytes(of: UInt16(address.family.rawValue)) { Array($0) })
            b.appendAttribute(type: address.family == .ipv4 ? AddressAttribute.ipv4 : AddressAttribute.ipv6, payload: address.bytes)
        }
        if let id { b.appendAttribute(type: AddressAttribute.id, payload: [id]) }
        if let port { b.appendAttribute(type: AddressAttribute.port, payload: withUnsafeBytes(of: port) { Array($0) }) }
        if let flags { b.appendAttribute(type: AddressAttribute.flags, u32: flags) }
        if let interfaceIndex { b.appendAttribute(type: AddressAttribute.interfaceIndex, u32: UInt32(bitPattern: interfaceIndex)) }
        return Array(b.bytes.dropFirst(NetlinkConstants.headerSize))
    }

    static let nested: UInt16 = 0x8000

    /// In-kernel PM: sets an endpoint's flags (only backup and fullmesh can change), for every
    /// connection that uses the endpoint. The endpoint is named by id.
    public func setEndpointFlags(id: UInt8, flags: PathManagerEndpoint.Flags) throws {
        var r = request(.setFlags)
        r.appendAttribute(type: Attribute.address | Self.nested, payload: Self.addressNest(nil, id: id, flags: flags.rawValue))
        try socket.request(r)
    }

    /// Userspace PM: sets (or clears) backup on one subflow of one connection; the peer is told
    /// with MP_PRIO.
    public func setSubflowBackup(token: UInt32, local: SocketAddress, remote: SocketAddress, backup: Bool) throws {
        var r = request(.setFlags)
        r.appendAttribute(type: Attribute.token, u32: token)
        r.appendAttribute(type: Attribute.address | Self.nested,
                          payload: Self.addressNest(local.address, port: local.port,
                                                    flags: backup ? PathManagerEndpoint.Flags.backup.rawValue : 0))
        r.appendAttribute(type: Attribute.remoteAddress | Self.nested, payload: Self.addressNest(remote.address, port: remote.port))
        try socket.request(r)
    }

    /// Userspace PM: closes one subflow gracefully (FIN, not RST).
    public func destroySubflow(token: UInt32, local: SocketAddress, remote: SocketAddress) throws {
        var r = request(.subflowDestroy)
        r.appendAttribute(type: Attribute.token, u32: token)
        r.appendAttribute(type: Attribute.address | Self.nested, payload: Self.addressNest(local.address, port: local.port))
        r.appendAttribute(type: Attribute.remoteAddress | Self.nested, payload: Self.addressNest(remote.address, port: remote.port))
        try socket.request(r)
    }

    /// Userspace PM: opens a subflow from `local` (bound to `interfaceIndex` when given, so it
    /// leaves by that device) to `remote`.
    public func createSubflow(token: UInt32, local: IPAddress, interfaceIndex: Int32? = nil, remote: SocketAddress) throws {
        var r = request(.subflowCreate)
        r.appendAttribute(type: Attribute.token, u32: token)
        r.appendAttribute(type: Attribute.address | Self.nested, payload: Self.addressNest(local, interfaceIndex: interfaceIndex))
        r.appendAttribute(type: Attribute.remoteAddress | Self.nested, payload: Self.addressNest(remote.address, port: remote.port))
        try socket.request(r)
    }
}
