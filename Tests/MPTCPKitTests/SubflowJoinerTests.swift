import XCTest
@testable import MPTCPKit

/// The join at scale: subflows arriving in the kernel's hash order, not by connection, and the
/// socket index the join looks them up in.
final class SubflowJoinerTests: XCTestCase {
    private func connection(_ n: UInt32, token: UInt32?) -> Connection {
        var c = Connection(local: SocketAddress(IPAddress("198.18.1.1")!, UInt16(1000 + n % 60000)),
                           remote: SocketAddress(IPAddress("198.18.0.1")!, 5201),
                           state: .established, cookie: UInt64(n), inode: 5000 + n, uid: 0)
        if let token {
            var info = MPTCPInfo()
            info.token = token
            c.info = info
        }
        return c
    }

    private func subflow(cookie: UInt64, inode: UInt32, token: UInt32?, join: Bool) -> Subflow {
        var s = Subflow(local: SocketAddress(IPAddress("198.18.1.1")!, 40000), remote: SocketAddress(IPAddress("198.18.0.1")!, 5201),
                        state: .established, boundInterfaceIndex: 0, cookie: cookie, inode: inode, uid: 0)
        if let token {
            var u = SubflowULPInfo()
            u.name = "mptcp"
            u.tokenLocal = token
            u.flags = join ? 0xcc : 0xc3
            u.localID = join ? 1 : 0
            s.ulp = u
        }
        return s
    }

    /// 3,000 connections (half known by token, half by inode alone), their subflows shuffled:
    /// each ends up under its own connection, initial subflow first, none lost or doubled.
    func testShuffledSubflowsLandUnderTheirConnections() {
        let n: UInt32 = 3000
        let sockets = (0..<n).map { connection($0, token: $0 % 2 == 0 ? 0x1000_0000 &+ $0 &* 2_654_435_761 : nil) }
        var subflows: [Subflow] = []
        for i in 0..<n {
            let token = sockets[Int(i)].info?.token
            subflows.append(subflow(cookie: UInt64(i) << 8 | 2, inode: 5000 + i, token: token, join: true))
            subflows.append(subflow(cookie: UInt64(i) << 8 | 1, inode: 5000 + i, token: token, join: false))
        }
        var generator = SystemRandomNumberGenerator()
        subflows.shuffle(using: &generator)
        subflows.append(subflow(cookie: 99, inode: 77, token: nil, join: false)) // nobody's
        let joined = SubflowJoiner.join(sockets: sockets, subflows: subflows)
        XCTAssertEqual(joined.unmatchedSubflows, 1)
        XCTAssertEqual(joined.connections.count, Int(n))
        for (i, c) in joined.connections.enumerated() {
            XCTAssertEqual(c.cookie, UInt64(i), "connections keep the MPTCP dump's order")
            XCTAssertEqual(c.subflows.map(\.cookie), [UInt64(i) << 8 | 1, UInt64(i) << 8 | 2], "connection \(i)")
        }
    }

    /// Subflows that are equal in the join's order keep the order they came in.
    func testEqualSubflowsKeepTheirArrivalOrder() {
        let sockets = [connection(1, token: nil)]
        var a = subflow(cookie: 5, inode: 5001, token: nil, join: false), b = a
        a.uid = 1
        b.uid = 2
        XCTAssertEqual(SubflowJoiner.join(sockets: sockets, subflows: [a, b]).connections[0].subflows.map(\.uid), [1, 2])
        XCTAssertEqual(SubflowJoiner.join(sockets: sockets, subflows: [b, a]).connections[0].subflows.map(\.uid), [2, 1])
    }

    /// Out of order, so sorted: the equal ones among them still keep the order they came in.
    func testSortedSubflowsKeepEqualOnesInArrivalOrder() {
        let sockets = [connection(1, token: nil)]
        let join = subflow(cookie: 1, inode: 5001, token: 0x77, join: true)
        var a = subflow(cookie: 9, inode: 5001, token: 0x77, join: false), b = a
        a.uid = 1
        b.uid = 2
        var joiner = SubflowJoiner(sockets: [connection(1, token: 0x77)])
        for s in [join, a, b] { joiner.add(s) }
        XCTAssertEqual(joiner.finish().connections[0].subflows.map(\.uid), [1, 2, 0])
        var reversed = SubflowJoiner(sockets: [connection(1, token: 0x77)])
        for s in [b, join, a] { reversed.add(s) }
        XCTAssertEqual(reversed.finish().connections[0].subflows.map(\.uid), [2, 1, 0])
        XCTAssertEqual(SubflowJoiner.join(sockets: sockets, subflows: []).connections[0].subflows.count, 0)
    }

    /// A joiner copied halfway is a value like any other: what one copy adds the other does not see.
    func testACopiedJoinerKeepsItsOwnSubflows() {
        var a = SubflowJoiner(sockets: [connection(1, token: nil)])
        a.add(subflow(cookie: 1, inode: 5001, token: nil, join: false))
        var b = a
        b.add(subflow(cookie: 2, inode: 5001, token: nil, join: false))
        a.add(subflow(cookie: 3, inode: 5001, token: nil, join: false))
        var c = a
        XCTAssertEqual(a.finish().connections[0].subflows.map(\.cookie), [1, 3])
        XCTAssertEqual(c.finish().connections[0].subflows.map(\.cookie), [1, 3], "a copy finished after the original")
        XCTAssertEqual(b.finish().connections[0].subflows.map(\.cookie), [1, 2])
    }

    func testSocketIndexFindsEveryKeyPastGrowthAndNeverZero() {
        var index = SocketIndex(capacity: 4)
        for k in UInt32(1)...20_000 { index.insert(k, Int32(k) * 3) }  // consecutive, as inodes are
        for k in stride(from: UInt32(0xffff_ffff), to: 0xffff_0000, by: -7) { index.insert(k, -1) } // colliding high keys
        for k in UInt32(1)...20_000 { XCTAssertEqual(index[k], Int32(k) * 3) }
        XCTAssertEqual(index[0xffff_fff8], -1)
        XCTAssertNil(index[20_001])
        XCTAssertNil(index[0xffff_fffe])
        index.insert(0, 5)
        XCTAssertNil(index[0], "0 is never indexed")
        index.insert(17, 1)
        XCTAssertEqual(index[17], 1, "a key added again keeps the last index")
    }
}
