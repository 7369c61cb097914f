import XCTest
@testable import MPTCPKit

final class RateAndShareTests: XCTestCase {
    func testSharesPerConnectionAndHostWide() {
        let s = Synthetic.snapshot(at: 0, subflows: [
            Synthetic.subflow("198.18.1.1", 40000, cookie: 1, interface: 1, acked: 750),
            Synthetic.subflow("198.18.2.1", 40001, cookie: 2, interface: 2, acked: 200, received: 50, join: true),
        ])
        XCTAssertEqual(s.connections[0].interfaceShares, [InterfaceShare(name: "wifi0", share: 0.75), InterfaceShare(name: "cell0", share: 0.25)])
        XCTAssertEqual(s.interfaces.map(\.name), ["wifi0", "cell0"])
        XCTAssertEqual(s.interfaces.map(\.share), [0.75, 0.25])
        XCTAssertEqual(s.interfaces[1].bytesTx, 200)
        XCTAssertEqual(s.interfaces[1].bytesRx, 50)
        XCTAssertEqual(s.connections[0].subflows.map(\.interfaceName), ["wifi0", "cell0"])
    }

    /// A connection's shares, largest first and equal ones by name, whichever subflow came
    /// first: two interfaces (compared, not sorted) and three (sorted).
    func testSharesOrderedLargestFirstThenByName() {
        let smallerFirst = Synthetic.snapshot(at: 0, subflows: [
            Synthetic.subflow("198.18.2.1", 40001, cookie: 2, interface: 2, acked: 250, join: true),
            Synthetic.subflow("198.18.1.1", 40000, cookie: 1, interface: 1, acked: 750),
        ])
        XCTAssertEqual(smallerFirst.connections[0].interfaceShares, [InterfaceShare(name: "wifi0", share: 0.75), InterfaceShare(name: "cell0", share: 0.25)])
        let equal = Synthetic.snapshot(at: 0, subflows: [
            Synthetic.subflow("198.18.1.1", 40000, cookie: 1, interface: 1, acked: 500),
            Synthetic.subflow("198.18.2.1", 40001, cookie: 2, interface: 2, acked: 500, join: true),
        ])
        XCTAssertEqual(equal.connections[0].interfaceShares.map(\.name), ["cell0", "wifi0"])
        let three = Synthetic.snapshot(at: 0, subflows: [
            Synthetic.subflow("198.18.1.1", 40000, cookie: 1, interface: 1, acked: 100),
            Synthetic.subflow("198.18.2.1", 40001, cookie: 2, interface: 2, acked: 100, join: true),
            Synthetic.subflow("198.18.3.1", 40002, cookie: 3, interface: 3, acked: 800, join: true),
        ])
        XCTAssertEqual(three.connections[0].interfaceShares, [InterfaceShare(name: "if3", share: 0.8), InterfaceShare(name: "cell0", share: 0.1),
                                                             InterfaceShare(name: "wifi0", share: 0.1)])
        XCTAssertEqual(three.interfaces.map(\.name), ["wifi0", "cell0", "if3"])
        XCTAssertEqual(three.connections[0].subflows.map(\.interfaceName), ["wifi0", "cell0", "if3"])
    }

    func testNoBytesMeansZeroShareNotNaN() {
        let s = Synthetic.snapshot(at: 0, subflows: [Synthetic.subflow("198.18.1.1", 40000, cookie: 1, interface: 1, acked: 0)])
        XCTAssertEqual(s.interfaces[0].share, 0)
        XCTAssertEqual(s.connections[0].interfaceShares[0].share, 0)
    }

    func testRatesFromTwoSamples() {
        var tracker = RateTracker()
        var first = Synthetic.snapshot(at: 10, subflows: [
            Synthetic.subflow("198.18.1.1", 40000, cookie: 1, interface: 1, acked: 1_000_000),
            Synthetic.subflow("198.18.2.1", 40001, cookie: 2, interface: 2, acked: 0, join: true),
        ], bytesAcked: 1_000_000)
        tracker.annotate(&first)
        XCTAssertNil(first.connections[0].txRate, "no rate before a second sample")
        XCTAssertNil(first.connections[0].subflows[0].txRate)
        XCTAssertNil(first.interfaces[0].txRate)

        var second = Synthetic.snapshot(at: 12, subflows: [
            Synthetic.subflow("198.18.1.1", 40000, cookie: 1, interface: 1, acked: 3_000_000),
            Synthetic.subflow("198.18.2.1", 40001, cookie: 2, interface: 2, acked: 500_000, join: true),
        ], bytesAcked: 3_500_000)
        tracker.annotate(&second)
        XCTAssertEqual(second.connections[0].subflows[0].txRate, 8_000_000) // 2 MB in 2 s
        XCTAssertEqual(second.connections[0].subflows[1].txRate, 2_000_000)
        XCTAssertEqual(second.connections[0].txRate, 10_000_000, "MPTCP-level bytes_acked")
        XCTAssertEqual(second.interfaces.map(\.txRate), [8_000_000, 2_000_000])
    }

    func testSubflowThatClosesNeverGivesANegativeRate() {
        var tracker = RateTracker()
        var a = Synthetic.snapshot(at: 0, subflows: [
            Synthetic.subflow("198.18.1.1", 40000, cookie: 1, interface: 1, acked: 9_000_000),
            Synthetic.subflow("198.18.2.1", 40001, cookie: 2, interface: 2, acked: 100, join: true),
        ])
        tracker.annotate(&a)
        var b = Synthetic.snapshot(at: 1, subflows: [
            Synthetic.subflow("198.18.2.1", 40001, cookie: 2, interface: 2, acked: 1_100, join: true),
        ])
        tracker.annotate(&b)
        XCTAssertEqual(b.connections[0].subflows[0].txRate, 8_000)
        XCTAssertEqual(b.connections[0].txRate, 0, "sum of subflows fell, counted as no traffic")
        XCTAssertEqual(b.interfaces.map(\.name), ["cell0"])
    }

    func testNewSubflowCountsAllItsBytesAsNew() {
        var tracker = RateTracker()
        var a = Synthetic.snapshot(at: 0, subflows: [Synthetic.subflow("198.18.1.1", 40000, cookie: 1, interface: 1, acked: 0)])
        tracker.annotate(&a)
        var b = Synthetic.snapshot(at: 0.5, subflows: [
            Synthetic.subflow("198.18.1.1", 40000, cookie: 1, interface: 1, acked: 0),
            Synthetic.subflow("198.18.2.1", 40001, cookie: 9, interface: 2, acked: 1000, join: true),
        ])
        tracker.annotate(&b)
        XCTAssertEqual(b.connections[0].subflows[1].txRate, 16_000)
    }
}
