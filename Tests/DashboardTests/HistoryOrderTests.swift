@testable import Dashboard
@testable import MPTCPKit
import TestSupport
import XCTest

/// Each subflow's series holds exactly the figures of its own samples, in order, however the
/// kernel orders the subflows and however they come and go (the history follows the last
/// sample's order and looks a subflow up only when it is out of step).
final class HistoryOrderTests: XCTestCase {
    private func spec(_ n: Int, subflows: Int) -> Scenario.ConnectionSpec {
        let first = Scenario.connections[0]
        let flows = (0..<subflows).map { k in
            Scenario.SubflowSpec(local: first.local, localPort: UInt16(30000 + 4 * n + k), remote: first.remote, remotePort: first.remotePort,
                                 interface: 2, cookie: UInt64(10_000 + 10 * n + k), txPerSecond: 1000, rxPerSecond: 0,
                                 rttMicros: 1000, cwnd: 10, retrans: 0)
        }
        return Scenario.ConnectionSpec(token: UInt32(0x2000 + n), cookie: UInt64(100 + n), local: first.local, localPort: UInt16(20000 + n),
                                       remote: first.remote, remotePort: first.remotePort, process: nil, subflows: flows)
    }

    func testEverySubflowKeepsItsOwnFiguresThroughChurnAndReordering() {
        var history = History()
        history.budget = 5   // some whole windows, most short ones
        var random = SplitMix64(seed: 7)
        var live = Array(0..<12)
        var next = 12
        var fed: [UInt64: [Double]] = [:]
        for second in 0..<120 {
            switch random.next() % 5 {
            case 0: live.append(next); next += 1
            case 1 where live.count > 2: live.remove(at: Int(random.next() % UInt64(live.count)))
            case 2: live.shuffle(using: &random)
            case 3 where live.count > 3: live.swapAt(0, live.count - 1)
            default: break
            }
            var s = Scenario.snapshot(at: second, connections: live.map { spec($0, subflows: 1 + $0 % 3) })
            for ci in s.connections.indices {
                for si in s.connections[ci].subflows.indices {
                    let cookie = s.connections[ci].subflows[si].cookie
                    let value = Double(cookie) * 1000 + Double(second)
                    s.connections[ci].subflows[si].txRate = value
                    s.connections[ci].subflows[si].rxRate = nil
                    fed[cookie, default: []].append(value)
                }
            }
            history.record(s)
            if second % 10 == 0 { history.watch(s.connections.prefix(2).flatMap { $0.subflows.map(\.cookie) }) }
            for c in s.connections {
                for sf in c.subflows {
                    let kept = history.subflows[sf.cookie]!.rates(Int.max)
                    XCTAssertEqual(kept, Array(fed[sf.cookie]!.suffix(kept.count)), "subflow \(sf.cookie) at \(second)")
                    XCTAssertGreaterThanOrEqual(kept.count, min(fed[sf.cookie]!.count, History.shortCapacity))
                }
            }
        }
        XCTAssertLessThan(history.subflows.count, fed.count, "series of subflows long gone were dropped")
    }
}
