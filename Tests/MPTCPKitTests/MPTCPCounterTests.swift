import Foundation
import XCTest
@testable import MPTCPKit

/// The MPTcpExt counters of /proc/net/netstat: by name, grouped, with deltas.
final class MPTCPCounterTests: XCTestCase {
    /// A real /proc/net/netstat of this 6.18 machine (all MPTCP counters 0 in the host namespace).
    private func realNetstat() throws -> String {
        try String(contentsOf: Fixture.directory.appendingPathComponent("netstat618-host.txt"), encoding: .utf8)
    }

    func testParsesTheRealFileByName() throws {
        let c = try XCTUnwrap(MPTCPCounters.parse(netstat: realNetstat()))
        XCTAssertEqual(c.entries.count, 76)
        XCTAssertEqual(c.entries.first?.name, "MPCapableSYNRX")
        XCTAssertEqual(c["MPJoinSynTx"], 0)
        XCTAssertEqual(c["MPCurrEstab"], 0)
        XCTAssertNil(c["TCPTimeouts"], "TcpExt counters are not MPTCP's")
        // Every 6.18 counter has a group of its own; none falls through to the wording rules.
        let unknown = c.entries.map(\.name).filter { MPTCPCounterGroup.known[$0] == nil }
        XCTAssertEqual(unknown, [])
    }

    func testOlderAndNewerKernelsAndBadValues() {
        let text = """
        TcpExt: SyncookiesSent EmbryonicRsts
        TcpExt: 0 5
        MPTcpExt: MPCapableSYNRX MPJoinSynTx FutureThingReset NewCounter Broken
        MPTcpExt: 3 7 1 9 x
        """
        let c = try! XCTUnwrap(MPTCPCounters.parse(netstat: text))
        XCTAssertEqual(c.entries.map(\.name), ["MPCapableSYNRX", "MPJoinSynTx", "FutureThingReset", "NewCounter"])
        XCTAssertEqual(c["NewCounter"], 9)
        XCTAssertEqual(MPTCPCounterGroup.of("FutureThingReset"), .resets)
        XCTAssertEqual(MPTCPCounterGroup.of("NewCounter"), .other)
        XCTAssertNil(MPTCPCounters.parse(netstat: "TcpExt: A\nTcpExt: 1\n"))
        XCTAssertNil(MPTCPCounters.parse(netstat: "MPTcpExt: A B\n"))
    }

    func testDeltasGaugesAndGroups() {
        let before = MPTCPCounters(entries: [.init(name: "MPJoinSynTx", value: 10), .init(name: "MPCurrEstab", value: 3),
                                             .init(name: "MPRstTx", value: 1)])
        let after = MPTCPCounters(entries: [.init(name: "MPJoinSynTx", value: 12), .init(name: "MPCurrEstab", value: 1),
                                            .init(name: "MPRstTx", value: 1), .init(name: "Appeared", value: 4)])
        let first = MPTCPCounterChange.between(nil, after)
        XCTAssertTrue(first.allSatisfy { $0.delta == nil && !$0.changed })
        let changes = MPTCPCounterChange.between(before, after)
        XCTAssertEqual(changes.map(\.delta), [2, -2, 0, nil])
        XCTAssertEqual(changes.map(\.changed), [true, true, false, false])
        XCTAssertEqual(changes[1].isGauge, true)
        XCTAssertEqual(changes[0].isGauge, false)
        let groups = MPTCPCounterChange.grouped(changes)
        XCTAssertEqual(groups.map(\.group), [.handshakes, .joins, .resets, .other])
        XCTAssertEqual(groups[0].counters.map(\.name), ["MPCurrEstab"])
    }

    func testMonitorReportsChangesBetweenRefreshes() throws {
        var readings = [
            MPTCPCounters(entries: [.init(name: "MPJoinSynTx", value: 1)]),
            MPTCPCounters(entries: [.init(name: "MPJoinSynTx", value: 4)]),
        ]
        let monitor = MPTCPCounterMonitor(read: { readings.removeFirst() })
        XCTAssertEqual(try monitor.refresh().first?.delta, nil)
        XCTAssertEqual(try monitor.refresh().first?.delta, 3)
        XCTAssertEqual(monitor.last?["MPJoinSynTx"], 4)
    }
}
