import TestSupport
import XCTest
@testable import MPTCPKit
@testable import Output

/// Decoding path-manager events: bytes a 6.18 kernel sent, and the same reshaped into what a
/// 6.1-era kernel or a future kernel sends.
final class PathManagerEventTests: XCTestCase {
    typealias A = PathManagerEventDecoder.Attribute

    private func events(_ side: String) throws -> [PathManagerEvent] {
        try EventMessage.captured(side).compactMap { $0.decoded() }
    }

    func testClientSideCaptureDecodesEveryEvent() throws {
        let e = try events("client")
        XCTAssertEqual(e.map(\.kind.name), [
            "created", "established", "sub_established", "created", "established", "sub_established",
            "announced", "sub_closed", "announced", "sub_closed", "sub_closed", "removed", "removed", "closed", "closed",
        ])
        // Nothing the 6.18 kernel sent is unknown to the decoder.
        XCTAssertTrue(e.allSatisfy { $0.rawAttributes.isEmpty && !$0.truncated })

        let created = e[0]
        XCTAssertEqual(created.token, 0xe8a8_91a2)
        XCTAssertEqual(created.family, .ipv6)
        XCTAssertEqual(created.local?.description, "[2001:db8:1::1]:34872")
        XCTAssertEqual(created.remote?.description, "[2001:db8::1]:5202")
        // 6.18 sends LOC_ID/REM_ID on CREATED (the documentation omits them).
        XCTAssertEqual(created.localID, 0)
        XCTAssertEqual(created.remoteID, 0)
        // Client side: no FLAGS (omitted when 0) and no deprecated SERVER_SIDE.
        XCTAssertNil(created.flags)
        XCTAssertNil(created.serverSideAttribute)
        XCTAssertNil(created.serverSide)

        let join = e[5]
        XCTAssertEqual(join.kind, .subflowEstablished)
        XCTAssertEqual(join.token, 0x523f_5ea6)
        XCTAssertEqual(join.local?.description, "198.18.2.1:33633")
        XCTAssertEqual(join.localID, 1)
        XCTAssertEqual(join.backup, false)
        // The join is bound to cell0 (the endpoint names the device): ifindex 3 in the lab.
        XCTAssertEqual(join.interfaceIndex, 3)
        XCTAssertNil(join.error)

        // ANNOUNCED carries no FAMILY attribute: the family comes from the address.
        let announced = e[6]
        XCTAssertEqual(announced.kind, .announced)
        XCTAssertEqual(announced.family, .ipv4)
        XCTAssertEqual(announced.remote?.description, "198.18.1.2:5201")
        XCTAssertEqual(announced.remoteID, 7)
        XCTAssertNil(announced.local)

        // The join towards the announced address was refused (nothing listened there).
        let refused = e[7]
        XCTAssertEqual(refused.kind, .subflowClosed)
        XCTAssertEqual(refused.error?.errno, 111)
        XCTAssertEqual(refused.closeReason, "connection refused (join refused)")

        // `ss -K` on the cell0 join: error 103, no reset attributes on the side that destroyed it.
        let killed = e[10]
        XCTAssertEqual(killed.kind, .subflowClosed)
        XCTAssertEqual(killed.token, 0x523f_5ea6)
        XCTAssertEqual(killed.local?.description, "198.18.2.1:33633")
        XCTAssertEqual(killed.error?.errno, 103)
        XCTAssertEqual(killed.error?.name, "ECONNABORTED")
        XCTAssertEqual(killed.closeReason, "connection aborted (closed locally)")
        XCTAssertNil(killed.resetReason)

        XCTAssertEqual(e[11].kind, .removed)
        XCTAssertEqual(e[11].remoteID, 7)
        XCTAssertEqual(e[13].kind, .closed)
        XCTAssertEqual(e[13].token, 0xe8a8_91a2)
        XCTAssertNil(e[13].family)
    }

    func testServerSideCaptureHasFlagsAndResetReason() throws {
        let e = try events("server")
        XCTAssertEqual(e.map(\.kind.name), [
            "listener_created", "listener_created", "created", "established", "sub_established", "created", "established",
            "sub_established", "sub_priority", "sub_closed", "closed", "closed", "listener_closed", "listener_closed",
        ])
        XCTAssertTrue(e.allSatisfy { $0.rawAttributes.isEmpty && !$0.truncated })

        let listener = e[0]
        XCTAssertNil(listener.token)
        XCTAssertEqual(listener.local?.description, "198.18.0.1:5201")
        XCTAssertNil(listener.remote)

        // 6.18 server side: FLAGS = 2 (SERVER_SIDE bit), and the deprecated attribute, sent only
        // on this side now, still says 1.
        let created = e[2]
        XCTAssertEqual(created.flags, 2)
        XCTAssertEqual(created.serverSideAttribute, 1)
        XCTAssertEqual(created.serverSide, true)
        XCTAssertFalse(created.denyJoinID0)

        // The peer made its endpoint a backup: only this side hears of it.
        let priority = e[8]
        XCTAssertEqual(priority.kind, .subflowPriority)
        XCTAssertEqual(priority.backup, true)
        XCTAssertEqual(priority.remote?.description, "198.18.2.1:33633")

        // The peer destroyed the subflow: RST with MP_TCPRST, ECONNRESET here.
        let reset = e[9]
        XCTAssertEqual(reset.kind, .subflowClosed)
        XCTAssertEqual(reset.error?.errno, 104)
        XCTAssertEqual(reset.resetReason?.code, 0)
        XCTAssertEqual(reset.resetReason?.name, "EUNSPEC")
        XCTAssertEqual(reset.resetFlags, 0)
        XCTAssertEqual(reset.closeReason, "reset by peer: unspecified error")
    }

    /// 6.1-era kernels: SERVER_SIDE sent always (0 or 1), no FLAGS, no LOC_ID/REM_ID on CREATED.
    func testOlderKernelCreatedEvents() throws {
        let server = try EventMessage.captured("server")
        var created = try XCTUnwrap(server.first { $0.command == 1 })
        created.drop(A.flags)
        created.drop(A.localID)
        created.drop(A.remoteID)
        created.set(A.serverSide, [1])
        let s = try XCTUnwrap(created.decoded())
        XCTAssertEqual(s.serverSide, true)
        XCTAssertNil(s.flags)
        XCTAssertNil(s.localID)
        XCTAssertEqual(s.token, 0xbc5e_c78f)
        XCTAssertTrue(s.rawAttributes.isEmpty)

        let client = try EventMessage.captured("client")
        var clientCreated = try XCTUnwrap(client.first { $0.command == 1 })
        clientCreated.drop(A.localID)
        clientCreated.drop(A.remoteID)
        clientCreated.set(A.serverSide, [0])
        let c = try XCTUnwrap(clientCreated.decoded())
        XCTAssertEqual(c.serverSide, false)
        XCTAssertEqual(c.local?.description, "[2001:db8:1::1]:34872")
    }

    /// A future kernel: new attributes and event types are kept raw, the rest still decodes.
    func testUnknownAttributesAndTypesAreKeptRaw() throws {
        var m = try XCTUnwrap(EventMessage.captured("client").first { $0.command == 11 })
        m.attributes.append((19, [0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4]))
        m.attributes.append((0x8000 | 40, []))   // nested flag set, empty payload
        m.set(A.token, [1, 2, 3, 4, 5, 6, 7, 8])  // a known attribute grown to 8 bytes
        let e = try XCTUnwrap(m.decoded())
        XCTAssertEqual(e.kind, .subflowClosed)
        XCTAssertNil(e.token, "a token of the wrong size is not guessed at")
        XCTAssertEqual(e.error?.errno, 111)
        XCTAssertEqual(e.rawAttributes, [
            .init(type: 19, bytes: [0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4]),
            .init(type: 40, bytes: []),
            .init(type: 1, bytes: [1, 2, 3, 4, 5, 6, 7, 8]),
        ])
        XCTAssertEqual(e.rawAttributes[0].hex, "deadbeef01020304")

        m.command = 21
        let unknown = try XCTUnwrap(m.decoded())
        XCTAssertEqual(unknown.kind, .unknown(21))
        XCTAssertEqual(unknown.kind.name, "unknown_21")
        XCTAssertEqual(unknown.kind.rawValue, 21)
        let json = PathManagerEventJSON.render(unknown)
        XCTAssertTrue(json.contains(#""type":"unknown_21","type_number":21"#), json)
        XCTAssertTrue(json.contains(#"{"type":19,"hex":"deadbeef01020304"}"#), json)
        XCTAssertTrue(PathManagerEventText.line(unknown).contains("attr19=deadbeef01020304"))
    }

    func testKindNumbersRoundTrip() {
        for n in UInt8.min...UInt8.max {
            XCTAssertEqual(PathManagerEventKind(rawValue: n).rawValue, n)
        }
        XCTAssertEqual(PathManagerEventKind(rawValue: 11), .subflowClosed)
        XCTAssertEqual(PathManagerEventKind(rawValue: 11).label, "SUB_CLOSED")
        XCTAssertEqual(PathManagerEventKind(rawValue: 15), .listenerCreated)
    }

    func testMessagesOfAnotherFamilyAndControlMessagesAreNotEvents() throws {
        let m = try XCTUnwrap(EventMessage.captured("client").first)
        XCTAssertEqual(EventMessage.decodeAll(m.bytes, familyID: m.type).count, 1)
        XCTAssertTrue(EventMessage.decodeAll(m.bytes, familyID: m.type &+ 1).isEmpty)
        var done = m
        done.type = NetlinkConstants.typeDone
        XCTAssertTrue(EventMessage.decodeAll(done.bytes).isEmpty)
    }

    func testReasonsInWords() {
        XCTAssertEqual(PathManagerEventError(errno: 103).text, "connection aborted (closed locally)")
        XCTAssertEqual(PathManagerEventError(errno: 104).text, "connection reset by peer")
        XCTAssertFalse(PathManagerEventError(errno: 12).text.isEmpty)
        XCTAssertEqual(PathManagerResetReason(code: 3).text, "administratively prohibited")
        XCTAssertEqual(PathManagerResetReason(code: 6).name, "EMIDDLEBOX")
        XCTAssertEqual(PathManagerResetReason(code: 99).text, "reason 99")
        XCTAssertNil(PathManagerResetReason(code: 99).name)
    }

    func testJSONAndTextOfASubflowClose() throws {
        var e = try XCTUnwrap(events("client").first { $0.error?.errno == 103 })
        e.interfaceName = "cell0"
        let json = PathManagerEventJSON.render(e)
        for part in [#""type":"sub_closed""#, #""token":"523f5ea6""#, #""interface":"cell0""#, #""ifindex":3"#,
                     #""local":"198.18.2.1:33633""#, #""remote":"198.18.0.1:5201""#, #""error":103"#,
                     #""error_text":"connection aborted (closed locally)""#] {
            XCTAssertTrue(json.contains(part), "\(part) missing in \(json)")
        }
        XCTAssertFalse(json.contains("reset_reason"))
        let c = PathManagerEventText.columns(e)
        XCTAssertEqual(c.type, "SUB_CLOSED")
        XCTAssertEqual(c.token, "523f5ea6")
        XCTAssertEqual(c.addresses, "198.18.2.1:33633 -> 198.18.0.1:5201")
        XCTAssertEqual(c.interface, "cell0")
        XCTAssertTrue(c.details.contains("connection aborted (closed locally)"))
    }

    /// Every prefix of the captured bytes, and random corruption, decode without trapping.
    func testTruncatedAndCorruptedEventsNeverTrap() throws {
        let all = try (EventMessage.captured("client") + EventMessage.captured("server")).flatMap(\.bytes)
        for cut in 0..<all.count {
            for e in EventMessage.decodeAll(Array(all[0..<cut])) {
                _ = PathManagerEventJSON.render(e)
                _ = PathManagerEventText.line(e)
            }
        }
        var rng = SplitMix64(seed: 6)
        for _ in 0..<3000 {
            var bytes = all
            for _ in 0..<(1 + Int(rng.next() % 8)) {
                let i = Int(rng.next() % UInt64(bytes.count))
                bytes[i] = UInt8(truncatingIfNeeded: rng.next())
            }
            for e in EventMessage.decodeAll(bytes) {
                _ = PathManagerEventJSON.render(e)
                _ = PathManagerEventText.line(e)
                _ = e.closeReason
            }
        }
    }
}
