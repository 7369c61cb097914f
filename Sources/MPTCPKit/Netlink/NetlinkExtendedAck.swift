/// The kernel's error text in an NLMSG_ERROR reply (extended ACK, enabled on every mptop
/// netlink socket). "userspace PM not selected" says far more than a bare EINVAL.
public enum NetlinkExtendedAck {
    static let flagCapped: UInt16 = 0x100    // NLM_F_CAPPED: the echoed request is header only
    static let flagTLVs: UInt16 = 0x200      // NLM_F_ACK_TLVS: attributes follow the echo
    static let attributeMessage: UInt16 = 1  // NLMSGERR_ATTR_MSG

    /// The NLMSGERR_ATTR_MSG text of an error message, or nil when the kernel sent none.
    /// The payload is `s32 error`, the echoed request (all of it unless capped), then TLVs.
    public static func message(in error: NetlinkMessage) -> String? {
        guard error.flags & flagTLVs != 0, let echoedLength = error.payload.u32(4) else { return nil }
        let echoed = error.flags & flagCapped != 0 ? NetlinkConstants.headerSize : Int(echoedLength)
        let start = 4 + ((echoed + 3) & ~3)
        guard let tlvs = error.payload.slice(start, error.payload.count - start) else { return nil }
        for a in NetlinkAttributes(tlvs) where a.type == attributeMessage {
            let text = a.payload.cString()
            return text.isEmpty ? nil : text
        }
        return nil
    }
}
