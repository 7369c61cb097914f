@testable import Dashboard
@testable import MPTCPKit
import XCTest

/// Connections the kernel gave no mptcp_info for have no token. Two of them are still two
/// connections: two rows, two action targets, their own marks, a placeholder ("-", as
/// `mptop --once` prints it) where a token would be, never 00000000.
final class TokenlessConnectionTests: XCTestCase {
    /// The first scenario connection (token 5f1c2a3b, cookie 1) and two without a token
    /// (cookies 4 and 5) whose subflows leave from the same local address and port to two
    /// peers, so only their identity tells them apart.
    static let specs: [Scenario.ConnectionSpec] = [
        Scenario.connections[0],
        Scenario.ConnectionSpec(token: 0, cookie: 4, local: "198.18.1.1", localPort: 40010, remote: "198.18.0.7", remotePort: 8080,
                                process: nil, subflows: [
            Scenario.SubflowSpec(local: "198.18.1.1", localPort: 40010, remote: "198.18.0.7", remotePort: 8080, interface: 2, cookie: 41,
                                 txPerSecond: 300_000, rxPerSecond: 10_000, rttMicros: 11_000, cwnd: 30, retrans: 0),
        ]),
        Scenario.ConnectionSpec(token: 0, cookie: 5, local: "198.18.1.1", localPort: 40010, remote: "198.18.0.8", remotePort: 8080,
                                process: nil, subflows: [
            Scenario.SubflowSpec(local: "198.18.1.1", localPort: 40010, remote: "198.18.0.8", remotePort: 8080, interface: 2, cookie: 51,
                                 txPerSecond: 200_000, rxPerSecond: 10_000, rttMicros: 13_000, cwnd: 30, retrans: 0),
        ]),
    ]

    /// Samples of `specs` in which every connection but the first has no mptcp_info.
    static func samples(_ count: Int, _ specs: [Scenario.ConnectionSpec] = specs) -> [Snapshot] {
        var rates = RateTracker()
        return (0..<count).map { second in
            var s = Scenario.snapshot(at: second, connections: specs)
            for i in s.connections.indices where s.connections[i].cookie != 1 {
                s.connections[i].info = nil
                for j in s.connections[i].subflows.indices { s.connections[i].subflows[j].ulp?.tokenLocal = nil }
            }
            rates.annotate(&s)
            return s
        }
    }

    static func state(_ specs: [Scenario.ConnectionSpec] = specs) -> DashboardState {
        var state = DashboardState(header: Scenario.header, width: 100, height: 30, glyphs: .unicode, themeNames: ["basic"])
        for s in samples(3, specs) { state.apply(s) }
        return state
    }

    private func cookies(_ s: DashboardState) -> [UInt64] {
        s.rows.compactMap { row in
            if case .connection(let i, _) = row.kind { return s.snapshot?.connections[i].cookie }
            return nil
        }
    }

    private func lines(_ s: DashboardState) -> [String] {
        DashboardRenderer.render(s, theme: .basic).text.split(separator: "\n").map(String.init)
    }

    func testTwoRowsEachShowingADashWhereTheTokenWouldBe() throws {
        var s = Self.state()
        XCTAssertEqual(cookies(s), [1, 4, 5], "two rows, one per connection")
        let screen = lines(s)
        XCTAssertFalse(screen.joined(separator: "\n").contains("00000000"), "no made-up token on screen")
        for peer in ["198.18.0.7:8080", "198.18.0.8:8080"] {
            let row = try XCTUnwrap(screen.first { $0.contains(peer) }, peer)
            XCTAssertEqual(row.split(separator: " ").prefix(2), ["▸", "-"], row)
        }
        let first = try XCTUnwrap(screen.first { $0.contains("198.18.0.1:5201") })
        XCTAssertEqual(first.split(separator: " ").prefix(2), ["▸", "5f1c2a3b"], "a real token as before")

        // The detail view names it the same way and says why there is no token.
        s.handle(.down)
        s.handle(.enter)
        s.handle(.enter)
        XCTAssertEqual(s.screen, .detail(connection: 4))
        let detail = lines(s).joined(separator: "\n")
        XCTAssertTrue(detail.contains("Connection -  198.18.1.1:40010 → 198.18.0.7:8080"), detail)
        XCTAssertTrue(detail.contains("no mptcp_info from the kernel, so no token"), detail)
        XCTAssertFalse(detail.contains("00000000"), detail)
    }

    func testSortingByTokenPutsThemAfterTheOnesWithATokenInFirstSeenOrder() {
        var s = Self.state([Self.specs[1], Self.specs[0], Self.specs[2]])
        XCTAssertEqual(cookies(s), [4, 1, 5], "first-seen order without a sort")
        s.handle(.character("s"))
        XCTAssertEqual(s.sort, .token)
        XCTAssertEqual(cookies(s), [1, 4, 5], "tokens first, then those without, in the order first seen")
        s.handle(.character("r"))
        XCTAssertEqual(cookies(s), [4, 5, 1], "reversed: those without first, still in the order first seen")
    }

    func testTheFilterFindsThemByAddressAndNotByAMadeUpToken() {
        var s = Self.state()
        func filtered(_ text: String) -> [UInt64] { s.filtered(text, cookies) }
        XCTAssertEqual(filtered("198.18.0.8"), [5])
        XCTAssertEqual(filtered(":40010"), [4, 5])
        XCTAssertEqual(filtered("5f1c"), [1])
        XCTAssertEqual(filtered("00000000"), [], "they have no token to match")
    }

    /// x on each one's subflow, through the event loop: two actions, each naming its own connection.
    func testActionsOnTwoTokenlessConnectionsNameTwoTargets() {
        final class RecordingPort: ActionPort {
            var planned: [MPTCPAction] = []
            var namespace: String? { nil }
            func plan(_ action: MPTCPAction, snapshot: Snapshot) throws -> PlannedAction {
                planned.append(action)
                throw MPTopError.usage("recorded")
            }
            func execute(_ planned: PlannedAction, confirmedTwice: Bool) throws -> ActionOutcome {
                XCTFail("nothing is executed")
                return .done("")
            }
        }
        let port = RecordingPort()
        let script: [InputEvent?] = [.key(.down), .key(.enter), .key(.down), .key(.character("x")),
                                     .key(.down), .key(.enter), .key(.down), .key(.character("x")), .key(.character("q"))]
        let clock = DashboardLoopTests.FakeClock()
        let terminal = DashboardLoopTests.ScriptedTerminal(script, clock: clock)
        var samples = Self.samples(3)
        var inputs = DashboardInputs(terminal: terminal, sample: {
            var s = samples.count > 1 ? samples.removeFirst() : samples[0]
            s.monotonic = UInt64(clock.now * 1e9)
            return s
        }, now: { clock.now }, themes: [Theme(name: "one")])
        inputs.actions = port
        let loop = DashboardLoop(state: DashboardState(header: Scenario.header, width: 100, height: 30), inputs: inputs)
        loop.run()
        XCTAssertEqual(port.planned.count, 2)
        guard port.planned.count == 2 else { return }
        XCTAssertNotEqual(String(reflecting: port.planned[0]), String(reflecting: port.planned[1]),
                          "the same local address, but two connections: two targets")
    }

    /// What the keys ask for, typed: the connection by identity, for x, b and f alike.
    func testTheActionKeysNameTheConnectionByIdentity() throws {
        var s = Self.state()
        s.handle(.down)
        s.handle(.enter)
        s.handle(.down)
        let local = SocketAddress(IPAddress("198.18.1.1")!, 40010)
        XCTAssertEqual(s.action(for: .closeSubflow, namespace: nil), .action(.closeSubflow(connection: ConnectionID(cookie: 4), local: local)))
        XCTAssertEqual(s.action(for: .toggleBackup, namespace: nil),
                       .action(.toggleSubflowBackup(connection: ConnectionID(cookie: 4), local: local)))
        for _ in 0..<2 { s.handle(.down) }
        s.handle(.enter)
        s.handle(.down)
        XCTAssertEqual(s.action(for: .closeSubflow, namespace: nil), .action(.closeSubflow(connection: ConnectionID(cookie: 5), local: local)))
        guard case .action(.failover(let config)) = s.action(for: .failover, namespace: "lab") else { return XCTFail("f plans a failover test") }
        XCTAssertEqual(config.target, .connection(ConnectionID(cookie: 5)))
        XCTAssertEqual(config.namespace, "lab")
    }

    /// The plans say in words what a connection without a token cannot have done to it.
    func testPlansThatNeedTheTokenSayWhy() throws {
        let snapshot = try XCTUnwrap(Self.samples(1).first)
        let c = snapshot.connections[1]
        XCTAssertNil(c.token)
        let config = FailoverConfig(target: .connection(c.id), interface: "lo", mode: .blackhole, duration: 5)
        XCTAssertThrowsError(try FailoverTest(config: config, snapshot: snapshot, interfaces: try InterfaceTable())) {
            XCTAssertTrue("\($0)".contains("shows no MPTCP token (no mptcp_info)"), "\($0)")
        }
        let plan = CloseSubflowPlan(token: c.token, subflow: c.subflows[0], method: .sockDestroy, isLastSubflow: true)
        XCTAssertTrue(plan.description.hasSuffix("of connection -"), "the placeholder the text output uses: \(plan.description)")
        // A connection that closed since the screen showed it: named by identity, not found.
        XCTAssertThrowsError(try SnapshotLookup.connection(ConnectionID(cookie: 999), in: snapshot)) {
            XCTAssertTrue("\($0)".contains("that connection is gone"), "\($0)")
        }
    }

    /// A stall of one connection without a token goes on its own time axis, not on the other's.
    func testMarksGoOnTheirOwnConnectionsAxis() throws {
        var specs = Self.specs
        let b = specs[1], f = b.subflows[0]
        specs[1] = Scenario.ConnectionSpec(token: 0, cookie: b.cookie, local: b.local, localPort: b.localPort, remote: b.remote,
                                           remotePort: b.remotePort, process: nil, subflows: [
            Scenario.SubflowSpec(local: f.local, localPort: f.localPort, remote: f.remote, remotePort: f.remotePort, interface: f.interface,
                                 cookie: f.cookie, txPerSecond: f.txPerSecond, rxPerSecond: f.rxPerSecond, rttMicros: f.rttMicros,
                                 cwnd: f.cwnd, retrans: f.retrans, stalledFrom: 12, stalledFor: 300),
        ])
        var s = DashboardState(header: Scenario.header, width: 100, height: 30, glyphs: .unicode, themeNames: ["basic"])
        for snapshot in Self.samples(20, specs) { s.apply(snapshot) }
        XCTAssertTrue(s.timeline.marks.contains { $0.kind == .stalled }, "the stall was marked")
        func marksLine(ofRow row: Int) -> String {
            var d = s
            for _ in 0..<row { d.handle(.down) }
            d.handle(.enter)
            d.handle(.enter)
            return lines(d).first { $0.hasPrefix(" marks") } ?? ""
        }
        XCTAssertTrue(marksLine(ofRow: 1).contains("S"), "on the stalled connection's axis: \(marksLine(ofRow: 1))")
        XCTAssertFalse(marksLine(ofRow: 2).contains("S"), "not on the other one's: \(marksLine(ofRow: 2))")
    }
}
