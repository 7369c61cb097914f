import Exporter
import Foundation
import MPTCPKit
import XCTest

/// The exposition text: names, types, label escaping, what each family says, and promtool's view.
final class ExpositionTests: XCTestCase {
    static let names: [UInt32: String] = [2: "wifi0", 3: "cell0"]

    func state(_ snapshot: Snapshot, namespace: String = "lab", events: EventsStatus = .subscribed) -> NamespaceState {
        var s = NamespaceState(namespace: namespace)
        s.eventsStatus = events
        s.record(snapshot, mib: MPTCPCounters(entries: [.init(name: "MPCapableSYNTX", value: 7), .init(name: "MPRstTx", value: 1)]),
                 duration: 0.002)
        return s
    }

    static let twoPaths = World.snapshot([
        World.Conn(token: 0x5f1c2a3b, cookie: 1, flows: [World.Flow(cookie: 11, interface: 2, tx: 3000, rx: 0),
                                                         World.Flow(cookie: 12, interface: 3, tx: 1000, rx: 0)]),
        World.Conn(token: 0x0a0b0c0d, cookie: 2, fallback: true, flows: [World.Flow(cookie: 21, interface: 2, tx: 0, rx: 4000)]),
    ], names: names, listeners: 2)

    func testTheFixedFamiliesWithTheirTypesAndLabels() {
        let scrape = Scrape(Exposition.render([state(Self.twoPaths)]))
        XCTAssertEqual(scrape[#"mptop_connections{netns="lab"}"#], 2)
        XCTAssertEqual(scrape[#"mptop_listeners{netns="lab"}"#], 2)
        XCTAssertEqual(scrape[#"mptop_fallback_connections{netns="lab"}"#], 1)
        XCTAssertEqual(scrape[#"mptop_subflows{netns="lab",interface="wifi0"}"#], 2)
        XCTAssertEqual(scrape[#"mptop_subflows{netns="lab",interface="cell0"}"#], 1)
        XCTAssertEqual(scrape[#"mptop_interface_bytes_total{netns="lab",interface="wifi0",direction="tx"}"#], 3000)
        XCTAssertEqual(scrape[#"mptop_interface_bytes_total{netns="lab",interface="wifi0",direction="rx"}"#], 4000)
        XCTAssertEqual(scrape[#"mptop_interface_bytes_total{netns="lab",interface="cell0",direction="tx"}"#], 1000)
        XCTAssertEqual(scrape[#"mptop_mib_total{netns="lab",name="MPCapableSYNTX"}"#], 7)
        XCTAssertEqual(scrape[#"mptop_up{netns="lab"}"#], 1)
        XCTAssertEqual(scrape[#"mptop_scrape_duration_seconds{netns="lab"}"#], 0.002)
        XCTAssertEqual(scrape[#"mptop_events_subscribed{netns="lab",reason="subscribed"}"#], 1)
        for family in MetricFamily.all where !family.name.hasPrefix("mptop_connection_") && family != .events && family != .subflowsClosed {
            XCTAssertEqual(scrape.types[family.name], family.kind.rawValue, family.name)
        }
        XCTAssertTrue(scrape.series("mptop_connection_subflows").isEmpty, "per-connection series are opt-in")
    }

    /// The same number as `interfaces[].share` in `mptop --json`: both come from `Shares`.
    func testSharesAreTheSnapshotsShares() {
        let scrape = Scrape(Exposition.render([state(Self.twoPaths)]))
        for i in Self.twoPaths.interfaces {
            XCTAssertEqual(scrape[#"mptop_interface_share{netns="lab",interface="\#(i.name)"}"#], i.share, i.name)
        }
        XCTAssertEqual(scrape[#"mptop_interface_share{netns="lab",interface="wifi0"}"#], 7000.0 / 8000.0)
    }

    /// Interface names may hold anything but '/', ':' and white space; namespace names are file
    /// names. Both reach label values escaped as the format wants: \\ \" \n.
    func testOddNamesAreEscaped() throws {
        let odd = #"we"ird\if{x}=,é"#
        let snapshot = World.snapshot([World.Conn(token: 1, cookie: 1, flows: [World.Flow(cookie: 11, interface: 9, tx: 10, rx: 0)])],
                                      names: [9: odd])
        let text = Scrape(Exposition.render([state(snapshot, namespace: "ns\nwith \"quotes\" \\")])).text
        XCTAssertTrue(text.contains(#"mptop_subflows{netns="ns\nwith \"quotes\" \\",interface="we\"ird\\if{x}=,é"} 1"#), text)
        try PromTool.checkMetrics(text)
    }

    func testBytesSurviveSubflowChurnThroughTheState() {
        var s = state(Self.twoPaths)
        // cell0's subflow closed: gone from the dump, its 1000 bytes stay in the counter.
        let after = World.snapshot([
            World.Conn(token: 0x5f1c2a3b, cookie: 1, flows: [World.Flow(cookie: 11, interface: 2, tx: 3500, rx: 0)]),
            World.Conn(token: 0x0a0b0c0d, cookie: 2, flows: [World.Flow(cookie: 21, interface: 2, tx: 0, rx: 4100)]),
        ], names: Self.names)
        s.record(after, mib: nil, duration: 0.001)
        let scrape = Scrape(Exposition.render([s]))
        XCTAssertEqual(scrape[#"mptop_interface_bytes_total{netns="lab",interface="cell0",direction="tx"}"#], 1000)
        XCTAssertEqual(scrape[#"mptop_subflows{netns="lab",interface="cell0"}"#], 0, "an interface seen before reads 0, not absent")
        XCTAssertNil(scrape[#"mptop_interface_share{netns="lab",interface="cell0"}"#], "as in mptop --json: no share without subflows")
        XCTAssertTrue(scrape.series("mptop_mib_total").isEmpty, "unreadable counters are absent, not zero")
    }

    func testAFailedCollectionKeepsTheCountersAndSaysSo() {
        var s = state(Self.twoPaths)
        s.recordFailure("no network namespace named 'lab'", duration: 0.0001)
        let scrape = Scrape(Exposition.render([s]))
        XCTAssertEqual(scrape[#"mptop_up{netns="lab"}"#], 0)
        XCTAssertEqual(scrape[#"mptop_scrape_errors_total{netns="lab"}"#], 1)
        XCTAssertEqual(scrape[#"mptop_interface_bytes_total{netns="lab",interface="cell0",direction="tx"}"#], 1000)
        XCTAssertNil(scrape[#"mptop_connections{netns="lab"}"#])
    }

    func testEventsCountByTypeAndClosedSubflowsByReason() throws {
        var s = state(Self.twoPaths)
        var reset = PathManagerEvent(kind: .subflowClosed)
        reset.token = 0x5f1c2a3b
        reset.interfaceName = "cell0"
        reset.resetReason = PathManagerResetReason(code: 3)
        reset.error = PathManagerEventError(errno: 104)
        var aborted = PathManagerEvent(kind: .subflowClosed)
        aborted.interfaceName = "cell0"
        aborted.error = PathManagerEventError(errno: 103)
        let clean = PathManagerEvent(kind: .subflowClosed)
        s.record(PathManagerEventBatch(events: [PathManagerEvent(kind: .created), reset, aborted, aborted, clean,
                                                PathManagerEvent(kind: .unknown(42))], overrun: true))
        let scrape = Scrape(Exposition.render([s]))
        XCTAssertEqual(scrape[#"mptop_events_total{netns="lab",type="created"}"#], 1)
        XCTAssertEqual(scrape[#"mptop_events_total{netns="lab",type="sub_closed"}"#], 4)
        XCTAssertEqual(scrape[#"mptop_events_total{netns="lab",type="unknown_42"}"#], 1)
        XCTAssertEqual(scrape[#"mptop_subflows_closed_total{netns="lab",interface="cell0",reason="reset_EPROHIBIT"}"#], 1)
        XCTAssertEqual(scrape[#"mptop_subflows_closed_total{netns="lab",interface="cell0",reason="ECONNABORTED"}"#], 2)
        XCTAssertEqual(scrape[#"mptop_subflows_closed_total{netns="lab",interface="unknown",reason="none"}"#], 1)
        XCTAssertEqual(scrape[#"mptop_events_overruns_total{netns="lab"}"#], 1)
        try PromTool.checkMetrics(scrape.text)
    }

    func testWithoutCapNetAdminTheEventSeriesAreAbsentAndAGaugeSaysWhy() {
        let scrape = Scrape(Exposition.render([state(Self.twoPaths, events: .noPermission)]))
        XCTAssertEqual(scrape[#"mptop_events_subscribed{netns="lab",reason="no_cap_net_admin"}"#], 0)
        XCTAssertTrue(scrape.series("mptop_events_total").isEmpty)
        XCTAssertTrue(scrape.series("mptop_subflows_closed_total").isEmpty)
    }

    func testPerConnectionSeriesAreTheBusiestAndBounded() throws {
        var conns: [World.Conn] = []
        for i in 1...50 {
            let flow = World.Flow(cookie: UInt64(1000 + i), interface: 2, tx: UInt64(i), rx: 0)
            conns.append(World.Conn(token: UInt32(i), cookie: UInt64(i), txRate: Double(i) * 1000, flows: [flow]))
        }
        let scrape = Scrape(Exposition.render([state(World.snapshot(conns, names: Self.names))], perConnection: 3))
        XCTAssertEqual(Set(scrape.series("mptop_connection_subflows").keys), [
            #"mptop_connection_subflows{netns="lab",token="00000032"}"#,
            #"mptop_connection_subflows{netns="lab",token="00000031"}"#,
            #"mptop_connection_subflows{netns="lab",token="00000030"}"#,
        ])
        XCTAssertEqual(scrape[#"mptop_connection_interface_share{netns="lab",token="00000032",interface="wifi0"}"#], 1)
        XCTAssertEqual(scrape[#"mptop_connection_bytes_total{netns="lab",token="00000032",direction="tx"}"#], 50)
        try PromTool.checkMetrics(scrape.text)
    }

    func testSeveralNamespacesShareOneFamilyEach() throws {
        let text = Scrape(Exposition.render([state(Self.twoPaths, namespace: "a"), state(Self.twoPaths, namespace: "b")])).text
        XCTAssertEqual(text.components(separatedBy: "# TYPE mptop_connections gauge").count, 2, "one TYPE line per family")
        XCTAssertTrue(text.contains(#"mptop_connections{netns="a"} 2"#) && text.contains(#"mptop_connections{netns="b"} 2"#))
        try PromTool.checkMetrics(text)
    }

    func testTheTextfileIsReplacedWhole() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mptop-exporter-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("mptop.prom").path
        try AtomicFile.write(Array("old\n".utf8), to: path)
        try AtomicFile.write(Exposition.render([state(Self.twoPaths)]), to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(text.contains(#"mptop_connections{netns="lab"} 2"#))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["mptop.prom"], "no temporary file left")
        XCTAssertThrowsError(try AtomicFile.write([], to: dir.appendingPathComponent("missing/x.prom").path))
    }
}
