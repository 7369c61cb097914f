/// One netlink attribute: a type and its payload (`struct nlattr` is 4 bytes: len, type).
public struct NetlinkAttribute {
    /// The attribute type with the NESTED and BYTE-ORDER flag bits masked off.
    public let type: UInt16
    public let payload: ByteView
}

/// Iterates the attributes packed in `view`, each padded to 4 bytes.
///
/// A malformed attribute (length shorter than its header or running past the end) ends the
/// iteration: everything decoded before it is kept, nothing after it is trusted.
public struct NetlinkAttributes: Sequence, IteratorProtocol {
    private let view: ByteView
    private var offset = 0
    /// Set when iteration stopped at a malformed attribute rather than at the end.
    public private(set) var malformed = false

    public init(_ view: ByteView) { self.view = view }

    public mutating func next() -> NetlinkAttribute? {
        guard offset + 4 <= view.count else {
            if offset < view.count { malformed = true }
            return nil
        }
        guard let len = view.u16(offset), let rawType = view.u16(offset + 2),
              Int(len) >= 4, offset + Int(len) <= view.count,
              let payload = view.slice(offset + 4, Int(len) - 4) else {
            malformed = true
            return nil
        }
        offset += (Int(len) + 3) & ~3
        return NetlinkAttribute(type: rawType & 0x3fff, payload: payload)
    }
}
