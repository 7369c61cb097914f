import Foundation
@testable import MPTCPKit

/// Netlink messages captured from a real 6.18 kernel by `mptop capture` (see Fixtures/README.md),
/// and tools to reshape them into what older kernels send.
struct Fixture {
    /// One message: header fields plus payload, re-encodable after edits.
    struct Message {
        var type: UInt16
        var payload: [UInt8]
    }

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func messages(_ side: String, _ dump: String) throws -> [Message] {
        let data = try Data(contentsOf: directory.appendingPathComponent("\(side)/\(dump).nl"))
        return split([UInt8](data))
    }

    static func split(_ bytes: [UInt8]) -> [Message] {
        bytes.withUnsafeBytes { raw in
            NetlinkMessages(ByteView(raw)).map { Message(type: $0.type, payload: Array($0.payload.base)) }
        }
    }

    /// Decodes MPTCP and TCP dumps of one side the way the Sampler does, and joins them.
    static func join(_ side: String, edit: (inout Message) -> Void = { _ in }) throws -> SubflowJoiner.Result {
        var sockets: [Connection] = []
        for dump in ["mptcp-ipv4", "mptcp-ipv6"] {
            for var m in try messages(side, dump) {
                edit(&m)
                m.payload.withUnsafeBytes { if let c = SockDiagDecoder.mptcpSocket(ByteView($0)) { sockets.append(c) } }
            }
        }
        let inodes = Set(sockets.map(\.inode))
        var subflows: [Subflow] = []
        for dump in ["tcp-ipv4", "tcp-ipv6"] {
            for var m in try messages(side, dump) {
                edit(&m)
                m.payload.withUnsafeBytes {
                    if let s = SockDiagDecoder.subflow(ByteView($0), isMPTCPInode: { inodes.contains($0) }) { subflows.append(s) }
                }
            }
        }
        return SubflowJoiner.join(sockets: sockets, subflows: subflows)
    }
}

extension Fixture.Message {
    /// Rewrites the attributes after the 72-byte inet_diag_msg: `transform` returns the new
    /// payload for an attribute, or nil to drop it.
    mutating func rewriteAttributes(_ transform: (UInt16, [UInt8]) -> [UInt8]?) {
        var out = Array(payload[0..<InetDiagMessage.size])
        let attrs = Array(payload[InetDiagMessage.size...])
        attrs.withUnsafeBytes { raw in
            for a in NetlinkAttributes(ByteView(raw)) {
                guard let p = transform(a.type, Array(a.payload.base)) else { continue }
                withUnsafeBytes(of: UInt16(4 + p.count)) { out.append(contentsOf: $0) }
                withUnsafeBytes(of: a.type) { out.append(contentsOf: $0) }
                out.append(contentsOf: p)
                while out.count % 4 != 0 { out.append(0) }
            }
        }
        payload = out
    }

    /// Cuts attribute `type` to its first `length` bytes, as an older kernel's shorter struct.
    mutating func truncate(attribute type: UInt16, to length: Int) {
        rewriteAttributes { t, p in t == type ? Array(p.prefix(length)) : p }
    }

    mutating func drop(attribute type: UInt16) {
        rewriteAttributes { t, p in t == type ? nil : p }
    }
}
