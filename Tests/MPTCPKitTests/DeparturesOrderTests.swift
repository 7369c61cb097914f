import XCTest
@testable import MPTCPKit

/// Departures finds the previous connections among the live ones by a cursor in the dump's
/// order (`CookieLookup`); what departs must be what the Dictionary of live cookies found.
final class DeparturesOrderTests: XCTestCase {
    private func connection(_ cookie: UInt64, subflows: [UInt64]) -> Connection {
        var c = Connection(local: SocketAddress(IPAddress("198.18.1.1")!, 40000), remote: SocketAddress(IPAddress("198.18.0.1")!, 5201),
                           state: .established, cookie: cookie, inode: 42, uid: 0)
        c.subflows = subflows.map { Synthetic.subflow("198.18.1.1", UInt16(40000 + $0), cookie: $0, interface: 1, acked: 0) }
        return c
    }

    private func snapshot(at seconds: Double, _ connections: [Connection]) -> Snapshot {
        var s = Snapshot(time: seconds, monotonic: UInt64(seconds * 1e9), namespace: nil)
        s.connections = connections
        return s
    }

    func testReorderedGoneAndListedTwice() {
        var d = Departures()
        let a = connection(10, subflows: [11, 12]), b = connection(20, subflows: [21, 22]), c = connection(30, subflows: [31, 32])
        d.update(with: snapshot(at: 0, [a, b, c]))
        d.update(with: snapshot(at: 1, [a, b, c]))
        XCTAssertTrue(d.connections.isEmpty && d.subflows.isEmpty, "the same sockets in the same order")
        d.update(with: snapshot(at: 2, [c, a]))
        XCTAssertEqual(d.connections.map(\.connection.cookie), [20], "reordered, and one gone")
        XCTAssertTrue(d.subflows.isEmpty)
        // Listed twice (an interrupted dump): the last one is the one compared with, as the
        // Dictionary's last assignment was.
        d.update(with: snapshot(at: 3, [c, a, connection(30, subflows: [31])]))
        XCTAssertEqual(d.subflows.map(\.subflow.cookie), [32])
        XCTAssertEqual(d.connections.map(\.connection.cookie), [20])
        // Both entries of the duplicate are found in one live connection: nothing departs.
        d.update(with: snapshot(at: 4, [a, c]))
        XCTAssertEqual(d.subflows.map(\.subflow.cookie), [32])
        XCTAssertEqual(d.connections.map(\.connection.cookie), [20])
        // A sample after the duplicate: a connection gone is still seen.
        d.update(with: snapshot(at: 5, [c]))
        XCTAssertEqual(d.connections.map(\.connection.cookie), [20, 10])
        // A new one in front of the same ones, then one gone in the middle of many.
        var many: [Connection] = []
        for k in UInt64(1)...50 { many.append(connection(1000 + k * 10, subflows: [1000 + k * 10 + 1])) }
        d.update(with: snapshot(at: 6, [c] + many))
        d.update(with: snapshot(at: 7, [connection(5, subflows: [6]), c] + many))
        XCTAssertEqual(d.connections.map(\.connection.cookie), [20, 10])
        d.update(with: snapshot(at: 8, [connection(5, subflows: [6]), c] + many.filter { $0.cookie != 1250 }))
        XCTAssertEqual(d.connections.map(\.connection.cookie), [20, 10, 1250])
    }
}
