import Foundation
@testable import MPTCPKit

/// Path-manager event messages captured from a real 6.18 kernel with `mptop events --save`
/// (Fixtures/events618, see Fixtures/README.md), and tools to reshape one into what an older
/// or newer kernel sends.
struct EventMessage {
    var type: UInt16
    var command: UInt8
    var attributes: [(type: UInt16, payload: [UInt8])]

    /// The captured messages of `side` ("client" or "server"), in arrival order.
    static func captured(_ side: String) throws -> [EventMessage] {
        let data = try Data(contentsOf: Fixture.directory.appendingPathComponent("events618/\(side).nl"))
        return [UInt8](data).withUnsafeBytes { raw in
            NetlinkMessages(ByteView(raw)).compactMap { m in
                guard let (command, attributes) = GenericNetlink.split(m) else { return nil }
                return EventMessage(type: m.type, command: command,
                                    attributes: NetlinkAttributes(attributes).map { ($0.type, Array($0.payload.base)) })
            }
        }
    }

    /// Header (16 bytes), genlmsghdr (cmd, version 1), then the attributes, each padded to 4.
    var bytes: [UInt8] {
        var body: [UInt8] = [command, 1, 0, 0]
        for a in attributes {
            withUnsafeBytes(of: UInt16(4 + a.payload.count)) { body.append(contentsOf: $0) }
            withUnsafeBytes(of: a.type) { body.append(contentsOf: $0) }
            body += a.payload
            while body.count % 4 != 0 { body.append(0) }
        }
        var out: [UInt8] = []
        withUnsafeBytes(of: UInt32(16 + body.count)) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: type) { out.append(contentsOf: $0) }
        out += [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        return out + body
    }

    /// Decodes the message as `PathManagerEventSource` does.
    func decoded() -> PathManagerEvent? {
        EventMessage.decodeAll(bytes).first
    }

    static func decodeAll(_ bytes: [UInt8], familyID: UInt16? = nil) -> [PathManagerEvent] {
        bytes.withUnsafeBytes { raw in
            NetlinkMessages(ByteView(raw)).compactMap { PathManagerEventDecoder.decode($0, familyID: familyID) }
        }
    }

    mutating func drop(_ attribute: UInt16) { attributes.removeAll { $0.type == attribute } }

    mutating func set(_ attribute: UInt16, _ payload: [UInt8]) {
        drop(attribute)
        attributes.append((attribute, payload))
    }
}
