import XCTest
@testable import MPTCPKit

/// Structs as older kernels send them: the captured 6.18 bytes cut to the older lengths.
final class OlderKernelTests: XCTestCase {
    private func connection(mptcpInfoLength: Int) throws -> Connection {
        let r = try Fixture.join("client618") { m in
            if m.payload.count > 0 { m.truncate(attribute: InetDiagAttribute.info, to: mptcpInfoLength) }
        }
        return try XCTUnwrap(r.connections.first)
    }

    func testMPTCPInfo48BytesUpTo6_4() throws {
        let c = try connection(mptcpInfoLength: 48)
        XCTAssertEqual(c.info?.length, 48)
        XCTAssertEqual(c.token.map { hex($0) }, "fd9b23f5")
        XCTAssertNotNil(c.info?.localAddrUsed)
        XCTAssertNil(c.info?.retransmits, "bytes 44..47 are padding before 6.5")
        XCTAssertNil(c.info?.bytesSent)
        XCTAssertNil(c.info?.subflowsTotal)
        XCTAssertNil(c.info?.lastDataSent)
    }

    func testMPTCPInfo80Bytes6_5() throws {
        let c = try connection(mptcpInfoLength: 80)
        XCTAssertNotNil(c.info?.bytesSent)
        XCTAssertNotNil(c.info?.bytesAcked)
        XCTAssertNil(c.info?.subflowsTotal)
    }

    func testMPTCPInfo88Bytes6_8() throws {
        let c = try connection(mptcpInfoLength: 88)
        XCTAssertEqual(c.info?.subflowsTotal, 2)
        XCTAssertNil(c.info?.lastDataSent)
    }

    func testMPTCPInfoShorterThanAnyKernelKeepsWhatFits() throws {
        let c = try connection(mptcpInfoLength: 14)
        XCTAssertEqual(c.info?.token, 0, "token needs bytes 12..15")
        XCTAssertEqual(c.info?.extraSubflows, 1)
        XCTAssertNil(c.info?.localAddrUsed)
    }

    func testTCPInfoLengthsOfOlderKernels() throws {
        for (length, hasRcvWnd, hasRTO) in [(232, false, false), (240, true, false), (248, true, true), (280, true, true)] {
            let r = try Fixture.join("client618") { m in m.truncate(attribute: InetDiagAttribute.info, to: length) }
            let t = try XCTUnwrap(r.connections.first?.subflows.first?.tcp)
            XCTAssertEqual(t.length, length)
            XCTAssertNotNil(t.sndWnd, "snd_wnd ends at 232")
            XCTAssertNotNil(t.bytesAcked)
            XCTAssertEqual(t.rcvWnd != nil, hasRcvWnd, "rcv_wnd at \(length)")
            XCTAssertEqual(t.totalRTO != nil, hasRTO, "total_rto at \(length)")
        }
    }

    func testTCPInfoCutMidFieldLeavesThatFieldUnknown() throws {
        let r = try Fixture.join("client618") { m in m.truncate(attribute: InetDiagAttribute.info, to: 82) }
        let t = try XCTUnwrap(r.connections.first?.subflows.first?.tcp)
        XCTAssertNotNil(t.rtt)
        XCTAssertNil(t.sndCwnd, "cwnd is bytes 80..83")
        XCTAssertNil(t.bytesAcked)
    }
}
