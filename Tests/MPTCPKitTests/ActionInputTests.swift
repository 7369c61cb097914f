import Foundation
@testable import MPTCPKit
import XCTest

/// The pure parts of the actions: parsing what people type, the bytes sent to the kernel,
/// the kernel's error text, and the undo steps. No kernel needed.
final class ActionInputTests: XCTestCase {
    func testTokensParseAsSsPrintsThem() throws {
        XCTAssertEqual(try TokenText.parse("5f1c2a3b"), 0x5f1c_2a3b)
        XCTAssertEqual(try TokenText.parse("0x5F1C2A3B"), 0x5f1c_2a3b)
        XCTAssertEqual(try TokenText.parse("abc"), 0xabc) // ss prints no zero padding
        for bad in ["", "0x", "123456789", "xyz", "-1", "12 34"] {
            XCTAssertThrowsError(try TokenText.parse(bad), bad) { XCTAssertTrue("\($0)".contains("is not a token"), "\($0)") }
        }
    }

    func testSocketAddressesParseWithIPv6InBrackets() throws {
        XCTAssertEqual(try SocketAddressText.parse("198.18.2.1:43210"), SocketAddress(IPAddress("198.18.2.1")!, 43210))
        XCTAssertEqual(try SocketAddressText.parse("[2001:db8::1]:80"), SocketAddress(IPAddress("2001:db8::1")!, 80))
        for bad in ["2001:db8::1:80", "1.2.3.4", "1.2.3.4:0", "1.2.3.4:70000", "[2001:db8::1]80", "host:80", ":80"] {
            XCTAssertThrowsError(try SocketAddressText.parse(bad), bad)
        }
    }

    /// SUBFLOW_DESTROY names the connection by token; a connection that showed no token is
    /// closed with SOCK_DESTROY (matched by the subflow's own identity) instead of with a
    /// made-up token 0 the kernel would refuse. Opening the sockets needs no privilege.
    func testAClosePlanWithoutATokenUsesSockDestroy() throws {
        let closer = try SubflowCloser(pathManagerKind: .userspace)
        let second = Synthetic.subflow("198.18.2.1", 40001, cookie: 2, interface: 3, acked: 10)
        var snap = Synthetic.snapshot(at: 1, subflows: [Synthetic.subflow("198.18.1.1", 40000, cookie: 1, interface: 2, acked: 10), second])
        let withToken = try closer.plan(connection: snap.connections[0], subflow: second)
        XCTAssertEqual(withToken.method, .subflowDestroy)
        XCTAssertNotNil(withToken.token)
        snap.connections[0].info = nil
        let without = try closer.plan(connection: snap.connections[0], subflow: second)
        XCTAssertEqual(without.method, .sockDestroy)
        XCTAssertNil(without.token)
        XCTAssertTrue(without.description.hasSuffix("of connection -"), without.description)
    }

    func testSockDestroyCarriesTheFullIdentity() {
        let local = SocketAddress(IPAddress("198.18.2.1")!, 0x1234)
        let remote = SocketAddress(IPAddress("198.18.0.1")!, 5201)
        let bytes = SockDestroyRequest.tcp(local: local, remote: remote, interfaceIndex: 3, cookie: 0x1122_3344_5566_7788).finish(sequence: 9)
        XCTAssertEqual(bytes.count, 16 + 56)
        let view = bytes.withUnsafeBytes { Array($0) }
        func u16(_ o: Int) -> UInt16 { UInt16(view[o]) | UInt16(view[o + 1]) << 8 }
        func u32(_ o: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(view[o + $1]) << (8 * $1) } }
        XCTAssertEqual(u16(4), 21, "SOCK_DESTROY")
        XCTAssertEqual(u16(6), 0x5, "REQUEST|ACK")
        let body = 16
        XCTAssertEqual(view[body], 2, "AF_INET")
        XCTAssertEqual(view[body + 1], 6, "IPPROTO_TCP: the subflow, never the MPTCP socket (EOPNOTSUPP)")
        XCTAssertEqual(Array(view[(body + 8)..<(body + 12)]), [0x12, 0x34, 0x14, 0x51], "ports big-endian")
        XCTAssertEqual(Array(view[(body + 12)..<(body + 16)]), [198, 18, 2, 1])
        XCTAssertEqual(Array(view[(body + 28)..<(body + 32)]), [198, 18, 0, 1])
        XCTAssertEqual(u32(body + 44), 3, "idiag_if")
        XCTAssertEqual(u32(body + 48), 0x5566_7788, "cookie[0]")
        XCTAssertEqual(u32(body + 52), 0x1122_3344, "cookie[1]")
    }

    func testExtendedAckTextIsFoundAfterACappedEcho() {
        var payload: [UInt8] = withUnsafeBytes(of: Int32(-22)) { Array($0) }
        payload += withUnsafeBytes(of: UInt32(40)) { Array($0) } + [UInt8](repeating: 0, count: 12) // echoed header, capped
        let text = Array("userspace PM not selected".utf8) + [0]
        payload += withUnsafeBytes(of: UInt16(4 + text.count)) { Array($0) } + withUnsafeBytes(of: UInt16(1)) { Array($0) } + text
        while payload.count % 4 != 0 { payload.append(0) }
        payload.withUnsafeBytes { raw in
            let capped = NetlinkMessage(type: 2, flags: 0x300, sequence: 1, payload: ByteView(raw))
            XCTAssertEqual(NetlinkExtendedAck.message(in: capped), "userspace PM not selected")
            let plain = NetlinkMessage(type: 2, flags: 0x100, sequence: 1, payload: ByteView(raw))
            XCTAssertNil(NetlinkExtendedAck.message(in: plain), "no TLV flag, no text")
        }
    }

    func testUndoStepsSurviveTheJournalRoundTrip() {
        let steps: [UndoStep] = [
            .deleteNftTable("mptop_failover_42_1f"),
            .endpointFlags(id: 3, flags: 6),
            .subflowBackup(token: 0xabc, local: SocketAddress(IPAddress("2001:db8:2::1")!, 4000),
                           remote: SocketAddress(IPAddress("2001:db8::1")!, 5201), backup: false),
            .createSubflow(token: 0x5f1c_2a3b, local: IPAddress("198.18.2.1")!, interfaceIndex: 3,
                           remote: SocketAddress(IPAddress("198.18.0.1")!, 5201)),
        ]
        for s in steps { XCTAssertEqual(UndoStep(line: s.line), s, s.line) }
        XCTAssertNil(UndoStep(line: "format-disk /"))
    }

    func testNetAdminIsBit12OfCapEff() throws {
        for (capEff, expected) in [("000001ffffffffff", true), ("0000000000000000", false), ("0000000000001000", true), ("0000000000000fff", false)] {
            XCTAssertEqual(Capabilities.hasNetAdmin(status: "Name:\tmptop\nCapInh:\t0000000000000000\nCapEff:\t\(capEff)\n"), expected, capEff)
        }
        XCTAssertFalse(Capabilities.hasNetAdmin(status: "Name:\tmptop\n"))
        XCTAssertThrowsError(try Privileges.requireNetAdmin(for: "close a subflow", readOnly: true)) {
            XCTAssertTrue("\($0)".contains("read-only"))
        }
    }

    func testFailoverModesAndReportJSON() throws {
        XCTAssertEqual(try FailoverMode.parse("blackhole"), .blackhole)
        XCTAssertThrowsError(try FailoverMode.parse("unplug")) { XCTAssertTrue("\($0)".contains("blackhole, close, backup")) }
        let report = FailoverReport(token: 0xabc, tokens: [0xabc], interface: "wifi0", mode: .blackhole, duration: 3,
                                    throughput: [.init(interface: "wifi0", before: 8e6, during: 0, after: 7.9e6)],
                                    recoveryMs: 412.4, survived: true, restored: true,
                                    events: [FailoverEvent(time: 2, text: "wifi0 blackholed")], notes: [])
        let json = report.json
        for fragment in [#""recovery_ms":412"#, #""survived":true"#, #""restored":true"#, #""before_bps":8000000"#, #""token":"00000abc""#] {
            XCTAssertTrue(json.contains(fragment), "\(fragment) in \(json)")
        }
        XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(json.utf8)))
    }
}
