import XCTest
@testable import MPTCPKit

/// The joiner's own storage: subflows decoded straight into it (`addSubflow(decoding:)`),
/// ordered by index before they are moved out, and what it drops or keeps.
final class SubflowJoinerDecodingTests: XCTestCase {
    private func connection(_ n: UInt32, token: UInt32) -> Connection {
        var c = Connection(local: SocketAddress(IPAddress("198.18.1.1")!, UInt16(1000 + n)),
                           remote: SocketAddress(IPAddress("198.18.0.1")!, 5201),
                           state: .established, cookie: UInt64(n), inode: 5000 + n, uid: 0)
        var info = MPTCPInfo()
        info.token = token
        c.info = info
        return c
    }

    private func subflow(cookie: UInt64, token: UInt32, localID: UInt8, state: SocketState = .established) -> Subflow {
        var s = Subflow(local: SocketAddress(IPAddress("198.18.1.1")!, 40000), remote: SocketAddress(IPAddress("198.18.0.1")!, 5201),
                        state: state, boundInterfaceIndex: 0, cookie: cookie, inode: 0, uid: 0)
        var u = SubflowULPInfo()
        u.name = "mptcp"
        u.tokenLocal = token
        u.flags = localID == 0 ? 0xc3 : 0xcc
        u.localID = localID
        s.ulp = u
        return s
    }

    /// Both captured sides, with and without ULP info (then joined by inode): decoding sockets and
    /// subflows into the joiner gives what decoding each and adding it gives, field by field.
    func testDecodingIntoTheJoinerMatchesDecodingThenAdding() throws {
        for side in ["client618", "server618"] {
            for dropULP in [false, true] {
                var added = SubflowJoiner(), decoded = SubflowJoiner()
                for dump in ["mptcp-ipv4", "mptcp-ipv6"] {
                    for m in try Fixture.messages(side, dump) {
                        m.payload.withUnsafeBytes { raw in
                            let c = SockDiagDecoder.mptcpSocket(ByteView(raw))
                            if let c { added.addSocket(c) }
                            XCTAssertEqual(decoded.addSocket(decoding: ByteView(raw)), c != nil)
                        }
                    }
                }
                XCTAssertEqual(added.socketInodes, decoded.socketInodes, side)
                var tcpMessages = 0, subflows = 0
                for dump in ["tcp-ipv4", "tcp-ipv6"] {
                    for var m in try Fixture.messages(side, dump) {
                        if dropULP { m.drop(attribute: InetDiagAttribute.ulpInfo) }
                        tcpMessages += 1
                        m.payload.withUnsafeBytes { raw in
                            let s = SockDiagDecoder.subflow(ByteView(raw), isMPTCPInode: { added.isConnectionInode($0) })
                            if let s { added.add(s) }
                            let kept = decoded.addSubflow(decoding: ByteView(raw))
                            XCTAssertEqual(kept, s != nil, "\(side): the same messages are subflows")
                            if kept { subflows += 1 }
                        }
                    }
                }
                let a = added.finish(), b = decoded.finish()
                XCTAssertGreaterThan(subflows, 0, side)
                XCTAssertLessThanOrEqual(subflows, tcpMessages, side)
                XCTAssertEqual(a.unmatchedSubflows, b.unmatchedSubflows, side)
                XCTAssertEqual(a.listeners.map(\.inode), b.listeners.map(\.inode), side)
                XCTAssertEqual(a.listeners.map(\.local), b.listeners.map(\.local), side)
                XCTAssertEqual(a.connections.map(\.cookie), b.connections.map(\.cookie), side)
                for (x, y) in zip(a.connections, b.connections) {
                    XCTAssertEqual(x.info, y.info)
                    XCTAssertEqual(x.state, y.state)
                    XCTAssertEqual(x.local, y.local)
                    XCTAssertEqual(x.remote, y.remote)
                    XCTAssertEqual([x.inode, x.uid], [y.inode, y.uid])
                    XCTAssertEqual(x.subflows.map(\.cookie), y.subflows.map(\.cookie), "\(side) connection \(x.cookie)")
                    for (s, t) in zip(x.subflows, y.subflows) {
                        XCTAssertEqual(s.tcp, t.tcp)
                        XCTAssertEqual(s.ulp, t.ulp)
                        XCTAssertEqual(s.congestion, t.congestion)
                        XCTAssertEqual(s.local, t.local)
                        XCTAssertEqual(s.remote, t.remote)
                        XCTAssertEqual(s.state, t.state)
                        XCTAssertEqual(s.inode, t.inode)
                        XCTAssertEqual(s.boundInterfaceIndex, t.boundInterfaceIndex)
                    }
                }
            }
        }
    }

    /// Three subflows arriving last-first, for many connections at once: each connection's come
    /// out initial first, then by local id.
    func testReversedArrivalsComeOutInOrder() {
        let sockets = (1...500).map { connection(UInt32($0), token: 0x100 + UInt32($0)) }
        var joiner = SubflowJoiner(sockets: sockets)
        for localID in [UInt8(2), 1, 0] {
            for n in 1...500 { joiner.add(subflow(cookie: UInt64(n) * 10 + UInt64(localID), token: 0x100 + UInt32(n), localID: localID)) }
        }
        let joined = joiner.finish()
        for (i, c) in joined.connections.enumerated() {
            let n = UInt64(i + 1)
            XCTAssertEqual(c.subflows.map(\.cookie), [n * 10, n * 10 + 1, n * 10 + 2], "connection \(n)")
        }
    }

    /// A connection handed in with subflows of its own keeps them, sorted together with the ones
    /// that arrive; a connection no subflow arrived for keeps its own untouched.
    func testSubflowsHandedInAreSortedWithTheArrivals() {
        var withOwn = connection(1, token: 0x11)
        withOwn.subflows = [subflow(cookie: 12, token: 0x11, localID: 2)]
        var untouched = connection(2, token: 0x22)
        untouched.subflows = [subflow(cookie: 21, token: 0x22, localID: 1)]
        var joiner = SubflowJoiner(sockets: [withOwn, untouched])
        joiner.add(subflow(cookie: 11, token: 0x11, localID: 1))
        joiner.add(subflow(cookie: 10, token: 0x11, localID: 0))
        let joined = joiner.finish()
        XCTAssertEqual(joined.connections[0].subflows.map(\.cookie), [10, 11, 12])
        XCTAssertEqual(joined.connections[1].subflows.map(\.cookie), [21])
    }

    /// A subflow listed twice (an interrupted dump can) is kept twice, in arrival order; a LISTEN
    /// socket is dropped and not counted; a subflow of no known connection is counted, not kept.
    func testDuplicatesListenersAndOrphans() {
        var joiner = SubflowJoiner(sockets: [connection(1, token: 0x11), connection(2, token: 0x22)])
        var first = subflow(cookie: 7, token: 0x11, localID: 0), again = first
        first.uid = 1
        again.uid = 2
        joiner.add(first)
        joiner.add(subflow(cookie: 8, token: 0x11, localID: 0, state: .listen))
        joiner.add(subflow(cookie: 9, token: 0x99, localID: 0))
        joiner.add(again)
        let joined = joiner.finish()
        XCTAssertEqual(joined.connections[0].subflows.map(\.uid), [1, 2])
        XCTAssertEqual(joined.connections[0].subflows.map(\.cookie), [7, 7])
        XCTAssertEqual(joined.connections[1].subflows.count, 0)
        XCTAssertEqual(joined.unmatchedSubflows, 1)
    }

    /// A message that is no socket or subflow (too short) leaves the joiner as it was.
    func testAMessageThatIsNoSubflowLeavesNothingBehind() {
        var joiner = SubflowJoiner(sockets: [connection(1, token: 0x11)])
        let short = [UInt8](repeating: 0, count: 40)
        XCTAssertFalse(short.withUnsafeBytes { joiner.addSubflow(decoding: ByteView($0)) })
        XCTAssertFalse(short.withUnsafeBytes { joiner.addSocket(decoding: ByteView($0)) })
        XCTAssertEqual(joiner.socketInodes, [5001])
        joiner.add(subflow(cookie: 3, token: 0x11, localID: 0))
        let joined = joiner.finish()
        XCTAssertEqual(joined.connections[0].subflows.map(\.cookie), [3])
        XCTAssertEqual(joined.unmatchedSubflows, 0)
    }
}
