@testable import Dashboard
@testable import MPTCPKit
import XCTest

/// The dashboard's graph history at server scale: bounded by what a person can look at (rows on
/// screen, the selection), not by the number of sockets; rows on screen draw as they always did.
final class HistoryBoundTests: XCTestCase {
    /// `count` connections like the scenario's first one (wifi0 and cell0), each with its own cookies.
    private func many(_ count: Int) -> [Scenario.ConnectionSpec] {
        let first = Scenario.connections[0]
        return (0..<count).map { i in
            let cookie = UInt64(1000 + i)
            let subflows = first.subflows.enumerated().map { n, f in
                Scenario.SubflowSpec(local: f.local, localPort: UInt16(20000 + 2 * i + n), remote: f.remote, remotePort: f.remotePort,
                                     interface: f.interface, cookie: cookie * 10 + UInt64(n),
                                     txPerSecond: f.txPerSecond + UInt64(i) * 1000, rxPerSecond: f.rxPerSecond,
                                     rttMicros: f.rttMicros + UInt32(i), cwnd: f.cwnd, retrans: f.retrans)
            }
            return Scenario.ConnectionSpec(token: UInt32(0x1000 + i), cookie: cookie, local: first.local, localPort: UInt16(20000 + 2 * i),
                                           remote: first.remote, remotePort: first.remotePort, process: nil, subflows: subflows)
        }
    }

    private func state(_ specs: [Scenario.ConnectionSpec], samples: Int, budget: Int, width: Int = 120) -> DashboardState {
        var state = DashboardState(header: Scenario.header, width: width, height: 30, themeNames: ["basic"])
        state.history.budget = budget
        for s in Scenario.samples(samples, connections: specs) { state.apply(s) }
        return state
    }

    private func storedValues(_ h: History) -> Int {
        h.subflows.values.reduce(0) { $0 + $1.rates(Int.max).count + $1.rtts(Int.max).count }
    }

    func testHistoryIsBoundedByTheBudgetNotByTheSockets() {
        let specs = many(600)
        let samples = 2 * History.shortCapacity + 5
        let s = state(specs, samples: samples, budget: 100)
        XCTAssertEqual(s.history.subflows.count, 1200, "every subflow keeps the short window the recent share needs")
        XCTAssertLessThanOrEqual(s.history.wholeSubflows, 100)
        // Each series: one rate fewer than samples (the first has none), one RTT a sample.
        XCTAssertLessThanOrEqual(storedValues(s.history), 100 * 2 * samples + 1100 * 2 * History.shortCapacity)
        for row in s.rows[s.scroll..<min(s.rows.count, s.scroll + s.layout.listRows.count)] {
            guard case .connection(let ci, _) = row.kind else { continue }
            for sf in s.snapshot!.connections[ci].subflows {
                let series = s.history.subflows[sf.cookie]!
                XCTAssertEqual(series.rates(Int.max).count, samples - 1, "a row on screen has its whole history")
                XCTAssertFalse(series.pastUnknown)
            }
        }
    }

    func testRowsOnScreenDrawAsWithUnboundedHistory() {
        let specs = many(300)
        var bounded = state(specs, samples: 30, budget: 50)
        var unbounded = state(specs, samples: 30, budget: Int.max)
        for _ in 0..<3 {
            bounded.perform(.activate)   // expanded: the subflow rows draw their rate lines
            unbounded.perform(.activate)
            bounded.perform(.moveDown)
            unbounded.perform(.moveDown)
        }
        XCTAssertEqual(DashboardRenderer.render(bounded, theme: .basic).text, DashboardRenderer.render(unbounded, theme: .basic).text)
        XCTAssertEqual(unbounded.history.wholeSubflows, 600)
        XCTAssertLessThanOrEqual(bounded.history.wholeSubflows, 50)
    }

    func testARowScrolledIntoViewSaysItsPastWasNotRecorded() {
        // Wide: the rate lines have room for more than the short window, so their start shows.
        var s = state(many(300), samples: 30, budget: 50, width: 240)
        s.handle(.end)
        s.perform(.activate)
        s.perform(.moveDown)
        s.perform(.moveDown)  // the expanded subflows, scrolled into view
        let last = s.snapshot!.connections.first { $0.cookie == 1299 }!
        XCTAssertEqual(s.selection, .subflow(connection: 1299, subflow: 12991))
        let series = s.history.subflows[last.subflows[0].cookie]!
        XCTAssertEqual(series.rates(Int.max).count, History.shortCapacity, "what the short window kept, no more")
        XCTAssertTrue(series.pastUnknown)
        let grid = DashboardRenderer.render(s, theme: .basic)
        let subflowRows = (0..<grid.height).map(grid.rowText).filter { $0.contains("├─") || $0.contains("└─") }
        XCTAssertEqual(subflowRows.count, 2)
        for row in subflowRows { XCTAssertTrue(row.contains("┊"), "no mark of the unrecorded past: \(row)") }

        // From now on it records: the detail view's charts carry the mark and the legend says why.
        s.perform(.moveUp)
        s.perform(.moveUp)
        s.perform(.activate)
        XCTAssertEqual(s.screen, .detail(connection: 1299))
        for sample in Scenario.samples(33, connections: many(300)).suffix(3) { s.apply(sample) }
        XCTAssertEqual(s.history.subflows[last.subflows[0].cookie]!.rates(Int.max).count, History.shortCapacity + 3)
        let detail = DashboardRenderer.render(s, theme: .basic).text
        XCTAssertTrue(detail.contains("┊ not recorded before (off screen)"), detail)
    }
}
