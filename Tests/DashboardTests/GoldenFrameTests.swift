@testable import Dashboard
import XCTest

/// The dashboard as a person sees it, at the sizes people use, as text files to review.
final class GoldenFrameTests: XCTestCase {
    func testStandardTerminal80x24() {
        var state = Scenario.state(width: 80, height: 24)
        state.perform(.activate) // expand the first connection
        assertGoldenFrame(DashboardRenderer.render(state, theme: .basic), named: "list-80x24")
    }

    func testLargerTerminal120x40() {
        var state = Scenario.state(width: 120, height: 40)
        state.perform(.activate)
        state.perform(.moveDown)
        state.perform(.moveDown)
        state.perform(.moveDown)
        state.perform(.activate) // the IPv6 connection with its backup subflow
        assertGoldenFrame(DashboardRenderer.render(state, theme: .basic), named: "list-120x40")
    }

    func testWideTerminal200x50() {
        var state = Scenario.state(width: 200, height: 50)
        state.perform(.activate)
        assertGoldenFrame(DashboardRenderer.render(state, theme: .basic), named: "list-200x50")
    }

    func testTooSmallTerminal40x10() {
        let state = Scenario.state(width: 40, height: 10)
        let grid = DashboardRenderer.render(state, theme: .basic)
        XCTAssertTrue(grid.text.contains("need 60x12, have 40x10"))
        assertGoldenFrame(grid, named: "too-small-40x10")
    }

    func testDetailView() {
        var state = Scenario.state(width: 100, height: 30, samples: 12)
        state.perform(.activate)
        state.perform(.activate)
        XCTAssertEqual(state.screen, .detail(connection: 1))
        assertGoldenFrame(DashboardRenderer.render(state, theme: .basic), named: "detail-100x30")
    }

    func testHelpOverlay() {
        var state = Scenario.state(width: 80, height: 24)
        state.handle(.character("?"))
        assertGoldenFrame(DashboardRenderer.render(state, theme: .basic), named: "help-80x24")
    }

    func testASCIIGlyphsForNonUTF8Locales() {
        var state = Scenario.state(width: 100, height: 24, glyphs: .ascii)
        state.perform(.activate)
        let grid = DashboardRenderer.render(state, theme: .basic)
        for y in 0..<grid.height {
            for x in 0..<grid.width {
                XCTAssertLessThan(grid[x, y].character.value, 128, "non-ASCII at \(x),\(y): \(grid.rowText(y))")
            }
        }
        assertGoldenFrame(grid, named: "ascii-100x24")
    }

    func testWaitingForFirstSample() {
        let state = DashboardState(header: Scenario.header, width: 80, height: 24)
        assertGoldenFrame(DashboardRenderer.render(state, theme: .basic), named: "empty-80x24")
    }
}
