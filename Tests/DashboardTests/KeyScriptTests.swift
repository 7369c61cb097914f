@testable import Dashboard
@testable import MPTCPKit
import XCTest

/// Scripted keys against the view model: what a person does, without a terminal.
final class KeyScriptTests: XCTestCase {
    func testExpandCollapseAndDetail() {
        var s = Scenario.state(width: 100, height: 30)
        XCTAssertEqual(s.rows.count, 3)
        s.handle(.enter)
        XCTAssertEqual(s.rows.count, 5, "the first connection shows its two subflows")
        s.handle(.down)
        XCTAssertEqual(s.selection, .subflow(connection: 1, subflow: 11))
        s.handle(.character(" "))
        XCTAssertEqual(s.rows.count, 3, "space on a subflow collapses its connection")
        XCTAssertEqual(s.selection, .connection(1))
        s.handle(.enter)
        s.handle(.enter)
        XCTAssertEqual(s.screen, .detail(connection: 1))
        s.handle(.escape)
        XCTAssertEqual(s.screen, .list)
    }

    func testSortByColumnAndReverse() {
        var s = Scenario.state(width: 100, height: 30)
        XCTAssertEqual(tokens(s), [0x5f1c2a3b, 0x0a0b0c0d, 0x12345678], "first-seen order without a sort")
        s.handle(.character("s"))
        XCTAssertEqual(s.sort, .token)
        XCTAssertEqual(tokens(s), [0x0a0b0c0d, 0x12345678, 0x5f1c2a3b])
        s.handle(.character("r"))
        XCTAssertEqual(tokens(s), [0x5f1c2a3b, 0x12345678, 0x0a0b0c0d])
        while s.sort != .rx { s.handle(.character(">")) }
        XCTAssertEqual(tokens(s), [0x0a0b0c0d, 0x12345678, 0x5f1c2a3b], "RX rate, largest first")
        s.handle(.character("<"))
        XCTAssertEqual(s.sort, .tx)
        XCTAssertEqual(tokens(s), [0x5f1c2a3b, 0x0a0b0c0d, 0x12345678], "TX rate, largest first")
        XCTAssertTrue(DashboardRenderer.render(s, theme: .basic).text.contains("sorted by TX rate"))
    }

    func testSelectionFollowsTheSocketWhenRowsMove() {
        var s = Scenario.state(width: 100, height: 30)
        s.handle(.down)
        XCTAssertEqual(s.selection, .connection(2))
        s.handle(.character("s")) // token order puts connection 2 first
        XCTAssertEqual(s.selection, .connection(2))
        XCTAssertEqual(s.selectionIndex, 0)
    }

    func testFilterByInterfaceAddressProcessAndToken() {
        var s = Scenario.state(width: 100, height: 30)
        func filtered(_ text: String) -> [UInt32] { s.filtered(text, tokens) }
        XCTAssertEqual(filtered("nginx"), [0x0a0b0c0d])
        XCTAssertEqual(filtered("cell0"), [0x5f1c2a3b, 0x0a0b0c0d])
        XCTAssertEqual(filtered("198.18.0.9"), [0x12345678])
        XCTAssertEqual(filtered(":443"), [0x0a0b0c0d])
        XCTAssertEqual(filtered("5F1C"), [0x5f1c2a3b], "tokens match case-insensitively")
        XCTAssertEqual(filtered("4242"), [0x5f1c2a3b], "a pid")
        XCTAssertEqual(filtered("nothing-matches"), [])
        XCTAssertTrue(DashboardRenderer.render(s, theme: .basic).text.contains("Connections 3"), "Esc cleared the filter")
    }

    func testFilterLineEditing() {
        var s = Scenario.state(width: 100, height: 30)
        s.handle(.character("/"))
        XCTAssertTrue(s.editingFilter)
        for c in "cellx".unicodeScalars { s.handle(.character(c)) }
        s.handle(.backspace)
        XCTAssertEqual(s.filter, "cell")
        XCTAssertTrue(DashboardRenderer.render(s, theme: .basic).text.contains("filter: cell_"))
        s.handle(.character("q"))
        XCTAssertFalse(s.quit, "q while typing a filter is a letter")
        s.handle(.escape)
        XCTAssertEqual(s.filter, "")
        XCTAssertFalse(s.editingFilter)
    }

    func testPauseIntervalThemeHelpAndQuit() {
        var s = Scenario.state(width: 100, height: 30)
        s.themeNames = ["default", "light"]
        s.handle(.character("p"))
        XCTAssertTrue(s.paused)
        XCTAssertTrue(DashboardRenderer.render(s, theme: .basic).text.contains("PAUSED"))
        s.handle(.character("p"))
        XCTAssertFalse(s.paused)
        s.handle(.character("+"))
        XCTAssertEqual(s.interval, 0.5)
        s.handle(.character("-"))
        s.handle(.character("-"))
        XCTAssertEqual(s.interval, 2)
        s.handle(.character("t"))
        XCTAssertEqual(s.themeName, "light")
        s.handle(.character("?"))
        XCTAssertTrue(s.showHelp)
        s.handle(.character("j"))
        XCTAssertFalse(s.showHelp, "any key closes help")
        s.handle(.character("q"))
        XCTAssertTrue(s.quit)
    }

    func testResizeKeepsTheSelectionVisible() {
        var s = Scenario.state(width: 100, height: 40)
        s.handle(.enter)
        s.handle(.end)
        XCTAssertEqual(s.selection, .connection(3))
        s.resize(width: 70, height: 12)
        let grid = DashboardRenderer.render(s, theme: .basic)
        XCTAssertTrue(grid.text.contains("12345678"), "the selected row is scrolled into view:\n\(grid.text)")
        s.resize(width: 50, height: 12)
        XCTAssertTrue(DashboardRenderer.render(s, theme: .basic).text.contains("terminal too small"))
        s.resize(width: 100, height: 40)
        XCTAssertTrue(DashboardRenderer.render(s, theme: .basic).text.contains("5f1c2a3b"))
    }

    func testPagingOverManyConnections() {
        var specs: [Scenario.ConnectionSpec] = []
        for i in 0..<200 {
            let f = Scenario.connections[0].subflows[0]
            specs.append(Scenario.ConnectionSpec(token: UInt32(0x1000 + i), cookie: UInt64(1000 + i), local: "198.18.1.1",
                                                 localPort: UInt16(30000 + i), remote: "198.18.0.1", remotePort: 5201, process: nil,
                                                 subflows: [Scenario.SubflowSpec(local: f.local, localPort: UInt16(30000 + i), remote: f.remote,
                                                                                 remotePort: 5201, interface: 2, cookie: UInt64(5000 + i),
                                                                                 txPerSecond: 1000, rxPerSecond: 0, rttMicros: 1000, cwnd: 10, retrans: 0)]))
        }
        var s = DashboardState(header: Scenario.header, width: 100, height: 30)
        for snap in Scenario.samples(2, connections: specs) { s.apply(snap) }
        let page = s.layout.pageSize
        s.handle(.pageDown)
        XCTAssertEqual(s.selectionIndex, page)
        s.handle(.end)
        XCTAssertEqual(s.selectionIndex, 199)
        XCTAssertTrue(DashboardRenderer.render(s, theme: .basic).text.contains(hex(0x1000 + 199)))
        s.handle(.home)
        XCTAssertEqual(s.selectionIndex, 0)
        XCTAssertEqual(s.scroll, 0)
    }

    func testConnectionsComingAndGoing() {
        var s = Scenario.state(width: 140, height: 30)
        s.setRetention(5)
        s.handle(.end)
        s.handle(.enter)
        XCTAssertEqual(s.rows.count, 4)
        // The selected, expanded connection disappears: it stays, dimmed, with its final
        // figures and why it went, and the selection stays on it.
        var rates = RateTracker()
        func sample(_ second: Int, _ specs: [Scenario.ConnectionSpec]) -> Snapshot {
            var next = Scenario.snapshot(at: second, connections: specs)
            rates.annotate(&next)
            return next
        }
        s.apply(sample(3, Array(Scenario.connections.prefix(2))))
        XCTAssertEqual(s.rows.count, 3)
        XCTAssertEqual(s.rows.last?.kind, .departedConnection(index: 0))
        XCTAssertEqual(s.selection, .connection(3))
        var text = DashboardRenderer.render(s, theme: .basic).text
        XCTAssertTrue(text.contains("12345678") && text.contains("closed 0s ago") && text.contains("gone from the kernel's dump"), text)
        XCTAssertEqual(s.snapshot?.connections.count, 2, "the header counts live connections only")
        // After the retention it is gone for good, and the selection moves to a live row.
        s.apply(sample(9, Array(Scenario.connections.prefix(2))))
        XCTAssertEqual(s.rows.count, 2)
        XCTAssertEqual(s.selection, .connection(2))
        XCTAssertFalse(DashboardRenderer.render(s, theme: .basic).text.contains("12345678"))
        // A new one appears at the end, in first-seen order.
        s.apply(sample(10, Scenario.connections))
        XCTAssertEqual(tokens(s), [0x5f1c2a3b, 0x0a0b0c0d, 0x12345678])
        // Everything goes away, and after the retention nothing is left.
        s.apply(Snapshot(time: 1_763_700_011, monotonic: 11_000_000_000, namespace: nil))
        s.apply(Snapshot(time: 1_763_700_020, monotonic: 20_000_000_000, namespace: nil))
        XCTAssertTrue(s.rows.isEmpty)
        XCTAssertNil(s.selection)
        text = DashboardRenderer.render(s, theme: .basic).text
        XCTAssertTrue(text.contains("no MPTCP connections"), text)
    }

    func testAClosedSubflowStaysDimmedUnderItsConnection() {
        var s = Scenario.state(width: 120, height: 30)
        s.handle(.enter)
        s.apply(Scenario.snapshot(at: 3, connections: Scenario.withoutFirstCellSubflow))
        XCTAssertEqual(s.rows.map(\.kind).filter { if case .departedSubflow = $0 { return true } else { return false } }.count, 1)
        let text = DashboardRenderer.render(s, theme: .basic).text
        let row = text.split(separator: "\n").first { $0.contains("└─ cell0") }
        XCTAssertNotNil(row, text)
        XCTAssertTrue(row?.contains(" 40 ") == true && row?.contains("closed 0s ago") == true && row?.contains("gone from") == true,
                      "final cwnd, when and why: \(row ?? "")")
    }

    func testDetailViewClosesWhenItsConnectionDoes() {
        var s = Scenario.state(width: 100, height: 30)
        s.handle(.enter)
        s.handle(.enter)
        XCTAssertEqual(s.screen, .detail(connection: 1))
        s.apply(Scenario.snapshot(at: 3, connections: Array(Scenario.connections.dropFirst())))
        XCTAssertEqual(s.screen, .list)
        XCTAssertNotNil(s.message)
    }

    func testMouseSelectsAndExpands() {
        var s = Scenario.state(width: 100, height: 30)
        let firstRow = s.layout.listRows.lowerBound
        s.handle(.click(x: 5, y: firstRow + 1))
        XCTAssertEqual(s.selection, .connection(2))
        s.handle(.click(x: 5, y: firstRow + 1))
        XCTAssertTrue(s.expanded.contains(2), "a click on the selected connection expands it")
        s.handle(.click(x: 5, y: s.layout.interfaceRows.lowerBound + 1))
        XCTAssertEqual(s.pane, .interfaces)
        XCTAssertEqual(s.selectedInterface, "cell0")
        s.handle(.enter)
        XCTAssertEqual(s.filter, "cell0", "Enter on an interface lists its connections")
        XCTAssertEqual(s.pane, .connections)
    }

    func testTabSwitchesPanes() {
        var s = Scenario.state(width: 100, height: 30)
        s.handle(.tab)
        XCTAssertEqual(s.pane, .interfaces)
        s.handle(.down)
        XCTAssertEqual(s.selectedInterface, "cell0")
        s.handle(.tab)
        XCTAssertEqual(s.pane, .connections)
    }

    private func tokens(_ s: DashboardState) -> [UInt32] {
        s.rows.compactMap { row in
            if case .connection(let i, _) = row.kind { return s.snapshot?.connections[i].token }
            return nil
        }
    }
}
