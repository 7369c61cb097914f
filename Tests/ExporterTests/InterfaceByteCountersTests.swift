import Exporter
import MPTCPKit
import XCTest

/// The byte counters that must never go backwards: the kernel forgets a closed subflow's bytes.
final class InterfaceByteCountersTests: XCTestCase {
    typealias Totals = InterfaceByteCounters.Totals

    func testAClosedSubflowKeepsItsBytes() {
        var c = InterfaceByteCounters()
        c.update([(1, "wifi0", 1000, 10), (2, "cell0", 500, 5)])
        XCTAssertEqual(c.totals["wifi0"], Totals(tx: 1000, rx: 10))
        XCTAssertEqual(c.totals["cell0"], Totals(tx: 500, rx: 5))
        c.update([(1, "wifi0", 1500, 20), (2, "cell0", 800, 8)])
        // cell0's subflow closes: the kernel no longer reports its 800 bytes.
        c.update([(1, "wifi0", 1600, 20)])
        XCTAssertEqual(c.totals["cell0"], Totals(tx: 800, rx: 8), "a closed subflow's bytes must stay")
        // A new subflow on cell0 (a new cookie) counts from its own bytes on top.
        c.update([(1, "wifi0", 1700, 20), (3, "cell0", 100, 1)])
        XCTAssertEqual(c.totals["cell0"], Totals(tx: 900, rx: 9))
        XCTAssertEqual(c.totals["wifi0"], Totals(tx: 1700, rx: 20))
    }

    func testNeverGoesBackwardsThroughRandomChurn() {
        var rng = SystemRandomNumberGenerator()
        var c = InterfaceByteCounters()
        var live: [UInt64: (String, UInt64, UInt64)] = [:]
        var nextCookie: UInt64 = 1
        var previous: [String: Totals] = [:]
        for _ in 0..<2000 {
            // Open, grow and close subflows at random on three interfaces.
            if live.count < 6 || Bool.random(using: &rng) {
                live[nextCookie] = (["wifi0", "cell0", "eth0"].randomElement(using: &rng)!, 0, 0)
                nextCookie += 1
            }
            if Int.random(in: 0..<3, using: &rng) == 0, let gone = live.keys.randomElement(using: &rng) { live[gone] = nil }
            for (k, v) in live { live[k] = (v.0, v.1 + UInt64.random(in: 0...5000, using: &rng), v.2 + UInt64.random(in: 0...50, using: &rng)) }
            c.update(live.map { ($0.key, $0.value.0, $0.value.1, $0.value.2) })
            let now = c.totals
            for (interface, before) in previous {
                let after = now[interface]
                XCTAssertNotNil(after, "\(interface) vanished")
                XCTAssertGreaterThanOrEqual(after?.tx ?? 0, before.tx, interface)
                XCTAssertGreaterThanOrEqual(after?.rx ?? 0, before.rx, interface)
            }
            previous = now
        }
    }

    func testAKernelCounterThatDipsDoesNotMakeTheTotalDip() {
        var c = InterfaceByteCounters()
        c.update([(1, "wifi0", 1000, 0)])
        c.update([(1, "wifi0", 900, 0)])
        XCTAssertEqual(c.totals["wifi0"], Totals(tx: 1000, rx: 0))
    }

    func testASubflowThatMovesInterfaceLeavesItsBytesBehind() {
        var c = InterfaceByteCounters()
        c.update([(1, "wifi0", 1000, 0)])
        c.update([(1, "eth0", 1200, 0)])
        XCTAssertEqual(c.totals["wifi0"], Totals(tx: 1000, rx: 0))
        XCTAssertEqual(c.totals["eth0"], Totals(tx: 200, rx: 0))
    }

    func testSnapshotsCountOnlySubflowsWithAnInterface() {
        var c = InterfaceByteCounters()
        let s = World.snapshot([World.Conn(token: 1, cookie: 1, flows: [
            World.Flow(cookie: 11, interface: 2, tx: 100, rx: 1),
            World.Flow(cookie: 12, interface: 3, tx: 50, rx: 2),
        ])], names: [2: "wifi0", 3: "cell0"])
        c.update(with: s)
        XCTAssertEqual(c.totals, ["wifi0": Totals(tx: 100, rx: 1), "cell0": Totals(tx: 50, rx: 2)])
    }

    func testClosedSubflowsFoldIntoTheirInterfaceAndLeaveNothingBehind() {
        var c = InterfaceByteCounters()
        let names = ["wifi0", "cell0", "eth0"]
        var open: [(cookie: UInt64, interface: String, tx: UInt64, rx: UInt64)] = []
        var expected: [String: Totals] = [:]
        // 20,000 subflows come and go, 50 open at a time, each carrying 1,000 bytes out and 10 in.
        for cookie in UInt64(1)...20_000 {
            let name = names[Int(cookie) % names.count]
            open.append((cookie, name, 1000, 10))
            expected[name, default: Totals()].tx += 1000
            expected[name, default: Totals()].rx += 10
            if open.count > 50 { open.removeFirst() }
            c.update(open)
        }
        c.update([])
        XCTAssertEqual(c.totals, expected)
        XCTAssertEqual(c.footprint.subflows, 0, "no closed subflow is remembered")
        XCTAssertEqual(c.footprint.interfaces, 3)
    }
}
