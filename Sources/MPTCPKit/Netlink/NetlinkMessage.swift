#if canImport(Glibc)
import Glibc
#endif

/// Netlink message constants (include/uapi/linux/netlink.h; stable since long before 5.15).
public enum NetlinkConstants {
    public static let headerSize = 16
    public static let flagRequest: UInt16 = 0x1
    public static let flagMulti: UInt16 = 0x2
    public static let flagAck: UInt16 = 0x4
    public static let flagDump: UInt16 = 0x300
    public static let flagDumpInterrupted: UInt16 = 0x10
    public static let typeError: UInt16 = 2
    public static let typeDone: UInt16 = 3
    public static let typeOverrun: UInt16 = 4

    /// The errno of an NLMSG_ERROR message: 0 for an ACK, else the positive errno. The kernel
    /// sends `-errno`; anything else (a positive code, INT32_MIN, whose negation traps, or a
    /// payload too short to hold a code) is not an errno and becomes EIO, never a crash.
    public static func errno(ofError message: NetlinkMessage) -> Int32 {
        guard let raw = message.payload.u32(0) else { return EIO }
        let code = Int32(bitPattern: raw)
        if code == 0 { return 0 }
        return code < 0 && code > -4096 ? -code : EIO
    }
}

/// One netlink message inside a received datagram.
public struct NetlinkMessage {
    public let type: UInt16
    public let flags: UInt16
    public let sequence: UInt32
    /// Bytes after the 16-byte header.
    public let payload: ByteView
}

/// Iterates the messages in one datagram (`NLMSG_OK` / `NLMSG_NEXT`).
/// A header that claims more bytes than remain ends the iteration and sets `malformed`.
public struct NetlinkMessages: Sequence, IteratorProtocol {
    private let view: ByteView
    private var offset = 0
    public private(set) var malformed = false

    public init(_ view: ByteView) { self.view = view }

    public mutating func next() -> NetlinkMessage? {
        guard offset + NetlinkConstants.headerSize <= view.count else {
            if offset < view.count { malformed = true }
            return nil
        }
        guard let len = view.u32(offset), let type = view.u16(offset + 4),
              let flags = view.u16(offset + 6), let seq = view.u32(offset + 8),
              Int(len) >= NetlinkConstants.headerSize, Int(len) <= view.count - offset,
              let payload = view.slice(offset + NetlinkConstants.headerSize, Int(len) - NetlinkConstants.headerSize)
        else {
            malformed = true
            return nil
        }
        offset += (Int(len) + 3) & ~3
        return NetlinkMessage(type: type, flags: flags, sequence: seq, payload: payload)
    }
}

/// Builds a request: header, fixed body, then attributes, all 4-byte aligned.
public struct NetlinkRequestBuilder: Sendable {
    public private(set) var bytes: [UInt8]

    public init(type: UInt16, flags: UInt16) {
        bytes = [UInt8](repeating: 0, count: NetlinkConstants.headerSize)
        put16(type, at: 4)
        put16(flags, at: 6)
    }

    public mutating func append(_ raw: [UInt8]) {
        bytes.append(contentsOf: raw)
        pad()
    }

    public mutating func appendAttribute(type: UInt16, payload: [UInt8]) {
        withUnsafeBytes(of: UInt16(4 + payload.count)) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: type) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: payload)
        pad()
    }

    public mutating func appendAttribute(type: UInt16, u32 value: UInt32) {
        appendAttribute(type: type, payload: withUnsafeBytes(of: value) { Array($0) })
    }

    /// Finishes the message: fills in length and sequence number.
    public func finish(sequence: UInt32) -> [UInt8] {
        var out = self
        out.put32(UInt32(out.bytes.count), at: 0)
        out.put32(sequence, at: 8)
        return out.bytes
    }

    private mutating func pad() {
        while bytes.count % 4 != 0 { bytes.append(0) }
    }

    // Netlink headers are host byte order.
    private mutating func put16(_ v: UInt16, at i: Int) {
        withUnsafeBytes(of: v) { bytes.replaceSubrange(i..<(i + 2), with: $0) }
    }

    private mutating func put32(_ v: UInt32, at i: Int) {
        withUnsafeBytes(of: v) { bytes.replaceSubrange(i..<(i + 4), with: $0) }
    }
}

extension NetlinkMessage {
    /// The message as it was on the wire (header + payload), for saving fixtures.
    public func encoded() -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(NetlinkConstants.headerSize + payload.count)
        withUnsafeBytes(of: UInt32(NetlinkConstants.headerSize + payload.count)) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: type) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: flags) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: sequence) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(0)) { out.append(contentsOf: $0) }
        out.append(contentsOf: payload.base)
        return out
    }
}
