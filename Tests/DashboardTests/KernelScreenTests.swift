@testable import Dashboard
@testable import MPTCPKit
import Foundation
import XCTest

/// The event log, counters and diagnosis screens, the confirmation dialog and the failover
/// panel, as golden frames from hand-made kernel data.
final class KernelScreenTests: XCTestCase {
    override func setUp() {
        setenv("TZ", "UTC", 1)  // event times are shown in local time
        tzset()
    }

    static func events() -> PathManagerEventBatch {
        var established = PathManagerEvent(kind: .subflowEstablished, time: 1_763_700_001.25)
        established.token = 0x5f1c2a3b
        established.local = SocketAddress(IPAddress("198.18.2.1")!, 41234)
        established.remote = SocketAddress(IPAddress("198.18.0.1")!, 5201)
        established.localID = 1
        established.remoteID = 0
        established.interfaceName = "cell0"
        var closed = established
        closed.kind = .subflowClosed
        closed.time = 1_763_700_002.5
        closed.error = PathManagerEventError(errno: 103)
        var unknown = PathManagerEvent(kind: .unknown(42), time: 1_763_700_003)
        unknown.rawAttributes = [PathManagerEvent.RawAttribute(type: 19, bytes: [0xde, 0xad])]
        return PathManagerEventBatch(events: [established, closed, unknown])
    }

    func testEventLogAndItsFilter() {
        var s = Scenario.state(width: 120, height: 20)
        s.note(Self.events())
        s.handle(.character("e"))
        XCTAssertEqual(s.screen, .events)
        let grid = DashboardRenderer.render(s, theme: .basic)
        assertGoldenFrame(grid, named: "events-120x20")
        XCTAssertTrue(grid.text.contains("attr19=dead"), "unknown attributes are shown raw")
        s.handle(.character("/"))
        for c in "sub_closed".unicodeScalars { s.handle(.character(c)) }
        s.handle(.enter)
        XCTAssertEqual(s.screen, .events, "the filter applies to the log")
        XCTAssertEqual(s.visibleEvents.count, 1)
        s.handle(.escape)
        XCTAssertEqual(s.visibleEvents.count, 3, "Esc clears the log's filter first")
        s.handle(.escape)
        XCTAssertEqual(s.screen, .list)
    }

    func testAClosedSubflowTakesTheReasonFromItsEvent() {
        var s = Scenario.state(width: 140, height: 30)
        s.handle(.enter)
        s.apply(Scenario.snapshot(at: 3, connections: Scenario.withoutFirstCellSubflow))
        s.note(Self.events())
        let text = DashboardRenderer.render(s, theme: .basic).text
        let row = text.split(separator: "\n").first { $0.contains("└─ cell0") } ?? ""
        XCTAssertTrue(row.contains("connection aborted"), "the SUB_CLOSED event's reason: \(row)")
    }

    func testCountersWithDeltas() {
        let before = MPTCPCounters(entries: [.init(name: "MPCapableSYNTX", value: 4), .init(name: "MPJoinSynTx", value: 2),
                                             .init(name: "MPRstTx", value: 0), .init(name: "MPCurrEstab", value: 3),
                                             .init(name: "OFOQueue", value: 0)])
        let after = MPTCPCounters(entries: [.init(name: "MPCapableSYNTX", value: 5), .init(name: "MPJoinSynTx", value: 2),
                                            .init(name: "MPRstTx", value: 1), .init(name: "MPCurrEstab", value: 2),
                                            .init(name: "OFOQueue", value: 0)])
        var s = Scenario.state(width: 80, height: 24)
        s.setCounters(MPTCPCounterChange.between(before, after))
        s.handle(.character("c"))
        let grid = DashboardRenderer.render(s, theme: .basic)
        assertGoldenFrame(grid, named: "counters-80x24")
        XCTAssertTrue(grid.text.contains("+1"))
        XCTAssertFalse(grid.text.contains("OFOQueue"), "zeros are hidden")
        s.handle(.character("z"))
        XCTAssertTrue(DashboardRenderer.render(s, theme: .basic).text.contains("OFOQueue"), "z shows them")
    }

    func testDiagnosisShowsFindingsFirst() {
        var setup = PathManagerSetup(namespace: "lab")
        setup.mptcpEnabled = true
        setup.pathManager = .kernel
        setup.limits = PathManagerLimits(subflows: 0, addAddrAccepted: 0)
        var s = Scenario.state(width: 100, height: 24)
        s.diagnosis = Diagnosis(setup: setup)
        s.handle(.character("d"))
        let text = DashboardRenderer.render(s, theme: .basic).text
        let lines = text.split(separator: "\n")
        XCTAssertTrue(lines[3].contains("FINDINGS"), text)
        XCTAssertTrue(text.contains("subflow_limit_zero") || text.contains("subflow limit"), text)
    }

    func testConfirmationDialogAndFailoverPanel() {
        var s = Scenario.state(width: 100, height: 30)
        s.dialog = Dialog(title: "Really close the LAST subflow?",
                          text: "close subflow 198.18.1.1:40004 -> 198.18.0.9:80 on wifi0 of connection 12345678",
                          warning: "the connection keeps no subflow until close_timeout", answers: [
                            .init(key: "y", label: "yes, close it anyway"), .init(key: "n", label: "cancel (Esc)")])
        assertGoldenFrame(DashboardRenderer.render(s, theme: .basic), named: "dialog-100x30")
        s.dialog = nil
        s.failover = FailoverPanel(title: "Failover test: blackhole on wifi0 for 5 s, connection 5f1c2a3b", phase: .test(.during),
                                   rates: [.init(interface: "cell0", bitsPerSecond: 19e6), .init(interface: "wifi0", bitsPerSecond: 0)],
                                   events: ["2.0 s  wifi0 blackholed (1 subflow(s), both directions)",
                                            "2.2 s  cell0 carries 50% of the rate before"])
        assertGoldenFrame(DashboardRenderer.render(s, theme: .basic), named: "failover-100x30")
        s.failover?.report = ["INTERFACE  BEFORE   DURING    AFTER", "wifi0      47Mb/s     0b/s   46Mb/s", "recovery: 200 ms",
                              "survived: yes", "restored: yes"]
        let text = DashboardRenderer.render(s, theme: .basic).text
        XCTAssertTrue(text.contains("restored: yes") && text.contains("w save the report as JSON"), text)
    }
}
