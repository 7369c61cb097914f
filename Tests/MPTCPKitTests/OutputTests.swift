import Foundation
import XCTest
@testable import MPTCPKit
@testable import Output

final class OutputTests: XCTestCase {
    /// The README's JSON contract: these names are fixed.
    func testJSONContractFromRealKernelBytes() throws {
        let r = try Fixture.join("client618")
        var s = Snapshot(time: 1.5, monotonic: 0, namespace: "lab")
        s.connections = r.connections
        for ci in s.connections.indices {
            for si in s.connections[ci].subflows.indices {
                let ip = s.connections[ci].subflows[si].local.address.description
                s.connections[ci].subflows[si].interfaceIndex = ip.hasPrefix("198.18.2") || ip.hasPrefix("2001:db8:2") ? 3 : 2
            }
        }
        s.interfaces = Shares.apply(to: &s.connections, names: { [2: "wifi0", 3: "cell0"][$0] })
        let text = SnapshotJSON.render(s)
        let top = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let conns = try XCTUnwrap(top["connections"] as? [[String: Any]])
        let ifaces = try XCTUnwrap(top["interfaces"] as? [[String: Any]])
        XCTAssertEqual(conns.count, 2)
        let c = conns[0]
        for key in ["token", "local", "remote", "state", "fallback", "process", "subflows"] { XCTAssertNotNil(c[key], key) }
        XCTAssertEqual(c["token"] as? String, "fd9b23f5")
        XCTAssertEqual(c["local"] as? String, "198.18.1.1:48122")
        XCTAssertEqual(c["state"] as? String, "ESTAB")
        XCTAssertEqual(c["fallback"] as? Bool, false)
        XCTAssertTrue(c["process"] is NSNull)
        XCTAssertEqual(conns[1]["remote"] as? String, "[2001:db8::1]:5202")
        let sf = try XCTUnwrap((c["subflows"] as? [[String: Any]])?.last)
        for key in ["local", "remote", "interface", "cwnd", "rtt_ms", "bytes_acked", "bytes_received", "backup"] { XCTAssertNotNil(sf[key], key) }
        XCTAssertEqual(sf["interface"] as? String, "cell0")
        XCTAssertEqual(sf["backup"] as? Bool, false)
        XCTAssertGreaterThan(sf["rtt_ms"] as? Double ?? 0, 0)
        XCTAssertEqual(Set(ifaces.compactMap { $0["name"] as? String }), ["wifi0", "cell0"])
        let total = ifaces.compactMap { $0["share"] as? Double }.reduce(0, +)
        XCTAssertEqual(total, 1, accuracy: 0.001)
    }

    func testJSONEscapesAndNulls() throws {
        var w = JSONWriter()
        w.beginObject()
        w.field("s", "a\"b\\c\n\u{1}")
        w.field("n", nil as String?)
        w.field("d", Double.nan)
        w.field("x", 2.5, decimals: 3)
        w.field("i", 3.0, decimals: 3)
        w.endObject()
        XCTAssertEqual(w.text, #"{"s":"a\"b\\c\n\u0001","n":null,"d":null,"x":2.5,"i":3}"#)
        XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(w.text.utf8)))
    }

    func testTableShowsConnectionSubflowsAndInterfaces() throws {
        var tracker = RateTracker()
        var a = Synthetic.snapshot(at: 0, subflows: [Synthetic.subflow("198.18.1.1", 40000, cookie: 1, interface: 1, acked: 0)], bytesAcked: 0)
        tracker.annotate(&a)
        var b = Synthetic.snapshot(at: 1, subflows: [
            Synthetic.subflow("198.18.1.1", 40000, cookie: 1, interface: 1, acked: 3_000_000),
            Synthetic.subflow("198.18.2.1", 40001, cookie: 2, interface: 2, acked: 1_000_000, join: true),
        ], bytesAcked: 4_000_000)
        tracker.annotate(&b)
        let text = SnapshotTable.render(b)
        XCTAssertTrue(text.contains("namespace 'lab': 1 connection, 2 subflows"), text)
        XCTAssertTrue(text.contains("0000abcd"), text)
        XCTAssertTrue(text.contains("wifi0 75% cell0 25%"), text)
        XCTAssertTrue(text.contains("32Mb/s"), text)
        XCTAssertTrue(text.contains("12.5ms"), text)
        XCTAssertTrue(text.contains("join,id 1"), text)
        // Columns line up: every subflow row starts with the 4-space indent.
        let rows = text.split(separator: "\n").filter { $0.hasPrefix("    ") }
        XCTAssertEqual(rows.count, 3)
    }

    func testAddresses() throws {
        let mapped = try XCTUnwrap(IPAddress("::ffff:198.18.1.1"))
        XCTAssertEqual(mapped.family, .ipv6)
        XCTAssertEqual(mapped.unmapped, IPAddress("198.18.1.1"))
        XCTAssertEqual(IPAddress("2001:db8::1")?.description, "2001:db8::1")
        XCTAssertEqual(IPAddress("2001:db8::1")?.withPort(80), "[2001:db8::1]:80")
        XCTAssertEqual(IPAddress("198.18.0.1")?.withPort(5201), "198.18.0.1:5201")
        XCTAssertNil(IPAddress("not-an-address"))
        XCTAssertEqual(hex(0xabc), "00000abc")
    }

    func testSockDiagRequestCarriesTheMPTCPProtocolAttribute() {
        let bytes = SockDiagRequest.mptcp(family: .ipv6).finish(sequence: 9)
        XCTAssertEqual(bytes.count, 16 + 56 + 8)
        bytes.withUnsafeBytes { raw in
            let v = ByteView(raw)
            XCTAssertEqual(v.u16(4), 20)
            XCTAssertEqual(v.u8(16), 10)
            XCTAssertEqual(v.u16(16 + 56 + 2), 3, "INET_DIAG_REQ_PROTOCOL")
            XCTAssertEqual(v.u32(16 + 56 + 4), 262)
        }
    }
}
