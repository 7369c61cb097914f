@testable import Dashboard
import XCTest

/// What a path is doing, on screen: the status word on each subflow row (colour and text), a
/// stale RTT shown as stale with its age, and the connection's summary.
final class StatusFrameTests: XCTestCase {
    func testAStalledPathAt80x24() {
        var state = Scenario.state(width: 80, height: 24, connections: Scenario.withStalledWifi)
        state.perform(.activate)
        let frame = DashboardRenderer.render(state, theme: .basic)
        assertGoldenFrame(frame, named: "status-80x24")
        let lines = frame.text.split(separator: "\n").map(String.init)
        let wifi = lines.first { $0.contains("wifi0") && $0.contains("├─") } ?? ""
        XCTAssertTrue(wifi.contains("stalled"), wifi)
        XCTAssertTrue(wifi.contains("— 4.2s"), "the RTT is shown as stale, with its age: \(wifi)")
        XCTAssertFalse(wifi.contains("12.3"), "the last RTT before the path died is not shown as current: \(wifi)")
        let cell = lines.first { $0.contains("cell0") && $0.contains("└─") } ?? ""
        XCTAssertTrue(cell.contains("active"), cell)
        let connection = lines.first { $0.contains("5f1c2a3b") } ?? ""
        XCTAssertTrue(connection.contains("stalled"), connection)
    }

    func testAStalledPathAt200x50() {
        var state = Scenario.state(width: 200, height: 50, connections: Scenario.withStalledWifi)
        state.perform(.activate)
        state.perform(.moveDown)
        state.perform(.moveDown)
        state.perform(.moveDown)
        state.perform(.activate)
        let frame = DashboardRenderer.render(state, theme: .basic)
        assertGoldenFrame(frame, named: "status-200x50")
        let connection = frame.text.split(separator: "\n").first { $0.contains("5f1c2a3b") }.map(String.init) ?? ""
        XCTAssertTrue(connection.contains("wifi0 stalled 4.2s"), "the connection row names the stalled path: \(connection)")
        let backup = frame.text.split(separator: "\n").first { $0.contains("cell0") && $0.contains("2001:db8:2::1") }.map(String.init) ?? ""
        XCTAssertTrue(backup.hasSuffix("backup"), "an idle backup subflow says backup: \(backup)")
    }

    func testTheStatusWordHasItsColour() {
        var state = Scenario.state(width: 200, height: 50, connections: Scenario.withStalledWifi)
        state.perform(.activate)
        let theme = Theme.basic
        let grid = DashboardRenderer.render(state, theme: theme)
        let rows = grid.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let y = rows.firstIndex(where: { $0.contains("├─") && $0.contains("stalled") }),
              let x = rows[y].range(of: "stalled").map({ rows[y].unicodeScalars.distance(from: rows[y].unicodeScalars.startIndex, to: $0.lowerBound.samePosition(in: rows[y].unicodeScalars)!) })
        else { return XCTFail("no stalled subflow row") }
        XCTAssertEqual(grid[x, y].style, theme.style(.bad), "stalled is drawn in the 'bad' role")
    }
}
