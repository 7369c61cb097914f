@testable import Dashboard
@testable import MPTCPKit
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

    /// After a handover the share of the last seconds and the share since start tell different
    /// stories; n switches which one the bars show, and the pane's title says which.
    func testBothShareModes() {
        var state = Scenario.state(width: 80, height: 24, samples: 6, connections: Scenario.withStalledWifi)
        state.perform(.activate)
        let recent = DashboardRenderer.render(state, theme: .basic)
        assertGoldenFrame(recent, named: "shares-recent-80x24")
        let lines = recent.text.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[2].contains("last 5 s"), lines[2])
        let cellNow = lines.first { $0.hasPrefix(" cell0") } ?? ""
        XCTAssertTrue(cellNow.contains("52% start 28%"), "cell0's share now, beside its share since start: \(cellNow)")

        XCTAssertEqual(state.handle(.character("n")), [.saveSettings])
        XCTAssertEqual(state.shareMode, .sinceStart)
        let since = DashboardRenderer.render(state, theme: .basic)
        assertGoldenFrame(since, named: "shares-since-start-80x24")
        XCTAssertTrue(since.text.contains("since start"))
        let wifiNow = state.interfaceShares(.recent)["wifi0"] ?? -1
        let wifiSince = state.interfaceShares(.sinceStart)["wifi0"] ?? -1
        XCTAssertLessThan(wifiNow, wifiSince - 0.2, "wifi0 carried much less of the last seconds than since start")
        let connectionNow = state.shares(of: state.snapshot!.connections[0], .recent)
        XCTAssertEqual(connectionNow.first?.name, "cell0")
        XCTAssertEqual(connectionNow.first?.share ?? 0, 1, accuracy: 0.001)
    }

    /// The detail view's time axis: "-N s ... now", a mark where wifi0 stalled and where a
    /// failover test started, and a legend; the same marks are in the event log.
    func testTheDetailViewTimeline() {
        var state = DashboardState(header: Scenario.header, width: 100, height: 30, glyphs: .unicode, themeNames: ["basic"])
        for (second, s) in Scenario.samples(20, connections: Scenario.stallingWifi(from: 12)).enumerated() {
            state.apply(s)
            if second == 4 { state.markFailover(started: true, subject: .connection(ConnectionID(cookie: 1), token: 0x5f1c2a3b), interface: "cell0", text: "failover test: blackhole on cell0") }
            if second == 7 { state.markFailover(started: false, subject: .connection(ConnectionID(cookie: 1), token: 0x5f1c2a3b), interface: "cell0", text: "failover test: cell0 restored") }
        }
        state.perform(.activate)
        state.perform(.activate)
        let frame = DashboardRenderer.render(state, theme: .basic)
        assertGoldenFrame(frame, named: "timeline-100x30")
        let lines = frame.text.split(separator: "\n").map(String.init)
        let marks = lines.first { $0.hasPrefix(" marks") } ?? ""
        XCTAssertTrue(marks.contains("S") && marks.contains("F") && marks.contains("f"), marks)
        XCTAssertTrue(lines.contains { $0.contains("now") && $0.contains("-") && $0.hasPrefix(" time") })
        XCTAssertTrue(lines.contains { $0.contains("S stalled") && $0.contains("F failover") })
        XCTAssertEqual(state.timeline.marks.map(\.kind), [.failoverStarted, .failoverEnded, .stalled])
        var demo = state
        demo.bar = StatusBar(title: "DEMO", items: [], status: .init(text: "receiver: 1MiB intact", good: true))
        XCTAssertTrue(DashboardRenderer.render(demo, theme: .basic).text.contains("S stalled"), "the demo's bar leaves the legend in view")
        // The S sits where wifi0 went silent (0.3 s before sample 12 of 0...19): 7 columns left
        // of the newest sample's, which is the chart's last (x 16, 83 wide).
        let sColumn = marks.unicodeScalars.firstIndex(of: "S").map { marks.unicodeScalars.distance(from: marks.unicodeScalars.startIndex, to: $0) }
        XCTAssertEqual(sColumn, 16 + 83 - 1 - 7)

        state.perform(.back)
        state.perform(.showEvents)
        let log = DashboardRenderer.render(state, theme: .basic).text
        XCTAssertTrue(log.contains("STALLED") && log.contains("wifi0 stalled"), "the event log lists the marks")
        XCTAssertTrue(log.contains("FAILOVER"))
    }

    /// The demo narrates from these facts: a stall and who carries the traffic, then the return.
    func testTheDemoNarrates() {
        var state = DashboardState(header: Scenario.header, width: 120, height: 30, glyphs: .unicode, themeNames: ["basic"])
        state.bar = StatusBar(title: "DEMO", items: [.init(key: "1", label: "WiFi back")], status: .init(text: "receiver: 1MiB intact", good: true))
        for s in Scenario.samples(16, connections: Scenario.stallingWifi(from: 12)) { state.apply(s) }
        XCTAssertEqual(state.narration?.text, "wifi0 stalled 3.3 s — cell0 carries 100%")
        let footer = DashboardRenderer.render(state, theme: .basic).text.split(separator: "\n").last.map(String.init) ?? ""
        XCTAssertTrue(footer.contains("wifi0 stalled 3.3 s — cell0 carries 100%"), footer)

        // wifi0 carries again: the sample after the stall ends.
        var recovered = state
        var healthy = Scenario.snapshot(at: 17)
        healthy.connections[0].subflows[0].tcp?.bytesAcked = Scenario.connections[0].subflows[0].txPerSecond * 27 + 5_000_000
        var rates = RateTracker()
        var previous = Scenario.snapshot(at: 16, connections: Scenario.stallingWifi(from: 12))
        rates.annotate(&previous)
        rates.annotate(&healthy)
        recovered.apply(healthy)
        let text = recovered.narration?.text ?? ""
        XCTAssertTrue(text.hasPrefix("wifi0 back: carrying ") && text.hasSuffix(" again after 5.3 s"), text)
        XCTAssertTrue(recovered.narration?.good == true)
        XCTAssertEqual(recovered.timeline.marks.last?.kind, .recovered)
    }

    /// The share modes and the timeline at the two sizes people use most.
    func testShareModesAndTimelineAt80x24And200x50() {
        for (w, h) in [(80, 24), (200, 50)] {
            var state = DashboardState(header: Scenario.header, width: w, height: h, glyphs: .unicode, themeNames: ["basic"])
            for s in Scenario.samples(20, connections: Scenario.stallingWifi(from: 12)) { state.apply(s) }
            state.perform(.activate)
            if w == 200 { assertGoldenFrame(DashboardRenderer.render(state, theme: .basic), named: "shares-recent-200x50") }
            state.perform(.toggleShareMode)
            if w == 200 { assertGoldenFrame(DashboardRenderer.render(state, theme: .basic), named: "shares-since-start-200x50") }
            state.perform(.activate)
            let frame = DashboardRenderer.render(state, theme: .basic)
            assertGoldenFrame(frame, named: "timeline-\(w)x\(h)")
            XCTAssertTrue(frame.text.contains(" marks") && frame.text.contains("now"), "the time axis at \(w)x\(h)")
        }
    }
}
