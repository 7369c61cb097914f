@testable import Dashboard
@testable import MPTCPKit
import TestSupport
import XCTest

/// Without a sort column, rows keep the order their connections were first seen in, whatever
/// the kernel's order and however connections come and go between samples (the ranks are
/// carried from sample to sample along the dump's order, a table asked only out of step).
final class DefaultRowOrderTests: XCTestCase {
    private func spec(_ n: Int) -> Scenario.ConnectionSpec {
        let first = Scenario.connections[0]
        return Scenario.ConnectionSpec(token: UInt32(0x1000 + n), cookie: UInt64(100 + n), local: first.local, localPort: UInt16(20000 + n),
                                       remote: first.remote, remotePort: first.remotePort, process: nil, subflows: [])
    }

    func testRowsStayInFirstSeenOrderAsConnectionsComeGoAndMove() {
        var state = DashboardState(header: Scenario.header, width: 120, height: 30, themeNames: ["basic"])
        var random = SplitMix64(seed: 12)
        var live: [Int] = Array(0..<20)
        var next = 20
        var firstSeen: [Int: Int] = [:], order = 0
        for second in 0..<300 {
            switch random.next() % 6 {
            case 0: live.append(next); next += 1                                    // one opens
            case 1 where live.count > 2: live.remove(at: Int(random.next() % UInt64(live.count)))  // one closes
            case 2 where live.count > 2:                                           // the kernel lists two the other way
                let i = Int(random.next() % UInt64(live.count - 1))
                live.swapAt(i, i + 1)
            case 3 where live.count > 4: live.removeSubrange(1..<3); live.insert(next, at: 1); next += 1
            case 4: live.shuffle(using: &random)
            default: break
            }
            for n in live where firstSeen[n] == nil { firstSeen[n] = order; order += 1 }
            state.apply(Scenario.snapshot(at: second, connections: live.map(spec)))
            let shown = state.rows.compactMap { row -> UInt64? in
                if case .connection(let cookie) = row.id, case .connection = row.kind { return cookie }
                return nil
            }
            let expected = live.sorted { firstSeen[$0]! < firstSeen[$1]! }.map { UInt64(100 + $0) }
            XCTAssertEqual(shown, expected, "after sample \(second)")
            if shown != expected { return }
        }
    }
}
