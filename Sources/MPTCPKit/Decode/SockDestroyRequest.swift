/// Builds `SOCK_DESTROY` (nlmsg_type 21) for one TCP subflow.
///
/// The kernel looks the socket up by its full identity: family, both ports and addresses, the
/// bound device (`idiag_if` must equal the subflow's, or ENOENT) and the cookie (a stale one is
/// ESTALE). Ports alone collide between subflows, and the cookie makes sure a socket that
/// closed and was replaced is never hit by mistake (docs/kernel.md, "Closing a subflow").
public enum SockDestroyRequest {
    public static func tcp(local: SocketAddress, remote: SocketAddress, interfaceIndex: UInt32, cookie: UInt64) -> NetlinkRequestBuilder {
        var b = NetlinkRequestBuilder(type: SockDiagRequest.destroyType, flags: NetlinkConstants.flagRequest | NetlinkConstants.flagAck)
        var r = SockDiagRequest.body(family: local.address.family, protocol: SockDiagRequest.ipprotoTCP, ext: 0,
                                     states: SockDiagRequest.allStates)
        // struct inet_diag_sockid at offset 8: sport, dport (big-endian), src[16], dst[16], if, cookie[2].
        r[8] = UInt8(local.port >> 8); r[9] = UInt8(local.port & 0xff)
        r[10] = UInt8(remote.port >> 8); r[11] = UInt8(remote.port & 0xff)
        r.replaceSubrange(12..<(12 + local.address.bytes.count), with: local.address.bytes)
        r.replaceSubrange(28..<(28 + remote.address.bytes.count), with: remote.address.bytes)
        withUnsafeBytes(of: interfaceIndex) { r.replaceSubrange(44..<48, with: $0) }
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: cookie)) { r.replaceSubrange(48..<52, with: $0) }
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: cookie >> 32)) { r.replaceSubrange(52..<56, with: $0) }
        b.append(r)
        return b
    }

    /// For a subflow as the sampler saw it.
    public static func tcp(_ subflow: Subflow) -> NetlinkRequestBuilder {
        tcp(local: subflow.local, remote: subflow.remote, interfaceIndex: subflow.boundInterfaceIndex, cookie: subflow.cookie)
    }
}
