import XCTest
@testable import MPTCPKit

/// Decoding bytes a real 6.18 kernel sent (two namespaces, one IPv4 and one IPv6 MPTCP
/// connection, each with an initial subflow on wifi0 and a join on cell0).
final class FixtureDecodeTests: XCTestCase {
    func testClientConnectionsAndSubflowsJoinByToken() throws {
        let r = try Fixture.join("client618")
        XCTAssertEqual(r.connections.count, 2)
        XCTAssertEqual(r.listeners.count, 0)
        XCTAssertEqual(r.unmatchedSubflows, 0)
        let v4 = try XCTUnwrap(r.connections.first { $0.local.address.family == .ipv4 })
        XCTAssertEqual(v4.token.map { hex($0) }, "fd9b23f5")
        XCTAssertEqual(v4.local.description, "198.18.1.1:48122")
        XCTAssertEqual(v4.remote.description, "198.18.0.1:5201")
        XCTAssertEqual(v4.state, SocketState.established)
        XCTAssertFalse(v4.fallback)
        XCTAssertEqual(v4.subflows.count, 2)
        XCTAssertEqual(v4.info?.length, 96)
        XCTAssertEqual(v4.info?.extraSubflows, 1)
        XCTAssertEqual(v4.info?.subflowsTotal, 2)
        XCTAssertNotNil(v4.info?.bytesSent)
        XCTAssertNotNil(v4.info?.lastDataSent)

        let initial = v4.subflows[0], join = v4.subflows[1]
        XCTAssertEqual(initial.ulp?.isJoin, false)
        XCTAssertEqual(join.ulp?.isJoin, true)
        XCTAssertEqual(initial.local.description, "198.18.1.1:48122")
        XCTAssertEqual(join.local.description, "198.18.2.1:59155")
        XCTAssertEqual(initial.boundInterfaceIndex, 0)
        XCTAssertEqual(join.boundInterfaceIndex, 3, "the cell0 endpoint binds its subflow to the device")
        XCTAssertEqual(join.ulp?.localID, 1)
        XCTAssertEqual(initial.ulp?.tokenRemote, 0, "TOKEN_REM is 0 on the initial subflow")
        XCTAssertEqual(join.ulp?.tokenRemote.map { hex($0) }, "0a5398c0", "a join carries the server's token")
        XCTAssertEqual(initial.tcp?.length, 280)
        XCTAssertGreaterThan(initial.tcp?.sndCwnd ?? 0, 0)
        XCTAssertGreaterThan(initial.tcp?.rtt ?? 0, 0)
        XCTAssertGreaterThan(initial.tcp?.bytesAcked ?? 0, 0)
        XCTAssertEqual(initial.congestion, "bbr")

        let v6 = try XCTUnwrap(r.connections.first { $0.local.address.family == .ipv6 })
        XCTAssertEqual(v6.token.map { hex($0) }, "174b78e1")
        XCTAssertEqual(v6.local.description, "[2001:db8:1::1]:46068")
        XCTAssertEqual(v6.subflows.map(\.local.description), ["[2001:db8:1::1]:46068", "[2001:db8:2::1]:56637"])
    }

    func testServerSideListenersAndPassiveSubflows() throws {
        let r = try Fixture.join("server618")
        XCTAssertEqual(r.connections.count, 2)
        XCTAssertEqual(r.listeners.map(\.local.description).sorted(), ["198.18.0.1:5201", "[2001:db8::1]:5202"])
        XCTAssertEqual(r.unmatchedSubflows, 0)
        for c in r.connections {
            XCTAssertEqual(c.subflows.count, 2)
            // Passive subflows: no remote token, joined by the server's own token.
            XCTAssertTrue(c.subflows.allSatisfy { $0.ulp?.tokenRemote == 0 && $0.ulp?.tokenLocal == c.token })
        }
        XCTAssertEqual(Set(r.connections.compactMap { $0.token.map { hex($0) } }), ["0a5398c0", "e518a10b"])
    }

    /// Before 6.15 an unprivileged reader gets no ULP info at all: subflows must still be found
    /// (by their MPTCP socket's inode) and joined.
    func testWithoutULPInfoSubflowsJoinByInode() throws {
        let r = try Fixture.join("client618") { m in m.drop(attribute: InetDiagAttribute.ulpInfo) }
        XCTAssertEqual(r.connections.map(\.subflows.count), [2, 2])
        XCTAssertEqual(r.unmatchedSubflows, 0)
        XCTAssertNil(r.connections[0].subflows[0].ulp)
        XCTAssertFalse(r.connections[0].subflows[0].backup)
    }

    /// 6.15+ unprivileged: ULP info without the sequence attributes (56 instead of 100 bytes).
    func testULPInfoWithoutSequenceAttributes() throws {
        let r = try Fixture.join("client618") { m in
            m.rewriteAttributes { t, p in
                guard t == InetDiagAttribute.ulpInfo else { return p }
                // Keep NAME and, inside MPTCP, only tokens/flags/ids (types 1, 2, 8, 9, 10).
                var out: [UInt8] = []
                p.withUnsafeBytes { raw in
                    for a in NetlinkAttributes(ByteView(raw)) {
                        var inner = Array(a.payload.base)
                        if a.type == 3 {
                            inner = []
                            for s in NetlinkAttributes(a.payload) where [1, 2, 8, 9, 10].contains(s.type) {
                                withUnsafeBytes(of: UInt16(4 + s.payload.count)) { inner.append(contentsOf: $0) }
                                withUnsafeBytes(of: s.type) { inner.append(contentsOf: $0) }
                                inner.append(contentsOf: s.payload.base)
                                while inner.count % 4 != 0 { inner.append(0) }
                            }
                        }
                        withUnsafeBytes(of: UInt16(4 + inner.count)) { out.append(contentsOf: $0) }
                        withUnsafeBytes(of: a.type | (a.type == 3 ? 0x8000 : 0)) { out.append(contentsOf: $0) }
                        out.append(contentsOf: inner)
                        while out.count % 4 != 0 { out.append(0) }
                    }
                }
                return out
            }
        }
        XCTAssertEqual(r.connections.map(\.subflows.count), [2, 2])
        XCTAssertEqual(r.connections[0].subflows[1].ulp?.localID, 1)
    }
}
