import XCTest
@testable import MPTCPKit
@testable import Output

/// The findings `mptop diagnose` draws from a path-manager setup, one rule at a time.
final class DiagnosisRulesTests: XCTestCase {
    private let cell = InterfaceTable.Link(index: 3, name: "cell0", up: true, loopback: false, running: true)

    /// The lab's client: a subflow endpoint on cell0 per family, limits 4.
    private func healthy() -> PathManagerSetup {
        var s = PathManagerSetup(namespace: "lab")
        s.mptcpEnabled = true
        s.pathManager = .kernel
        s.limits = PathManagerLimits(subflows: 4, addAddrAccepted: 4)
        s.endpoints = [PathManagerEndpoint(id: 1, address: IPAddress("198.18.2.1"), flags: .subflow, interfaceIndex: 3),
                       PathManagerEndpoint(id: 2, address: IPAddress("2001:db8:2::1"), flags: .subflow, interfaceIndex: 3)]
        s.endpointInterfaces = [1: 3, 2: 3]
        s.links = [cell]
        s.counters = MPTCPCounters(entries: [.init(name: "MPJoinSynTx", value: 1), .init(name: "MPJoinSynAckRx", value: 1)])
        return s
    }

    private func codes(_ s: PathManagerSetup) -> [String] { DiagnosisRules.findings(for: s).map(\.code) }

    private func oneSubflow() -> Snapshot {
        Synthetic.snapshot(at: 1, subflows: [Synthetic.subflow("198.18.1.1", 40000, cookie: 1, interface: 2, acked: 10)])
    }

    func testHealthySetupHasNoProblem() {
        XCTAssertEqual(codes(healthy()), ["no_problem"])
    }

    func testMissingSubflowEndpointIsNamed() {
        var s = healthy()
        s.endpoints = [PathManagerEndpoint(id: 1, address: IPAddress("198.18.2.1"), flags: .signal, interfaceIndex: 3)]
        let f = DiagnosisRules.findings(for: s)
        XCTAssertEqual(f.first?.code, "no_subflow_endpoint")
        XCTAssertEqual(f.first?.severity, .problem)
        XCTAssertTrue(f.first?.message.contains("'subflow' flag") ?? false)
        XCTAssertTrue(f.first?.message.contains("ip mptcp endpoint add") ?? false)

        s.snapshot = oneSubflow()
        let conn = DiagnosisRules.findings(for: s).first { $0.code == "single_subflow" }
        XCTAssertEqual(conn?.token, 0xabcd)
        XCTAssertTrue(conn?.message.hasSuffix("no endpoint has the 'subflow' flag") ?? false, conn?.message ?? "none")
    }

    func testSubflowLimitZeroIsNamed() {
        var s = healthy()
        s.limits = PathManagerLimits(subflows: 0, addAddrAccepted: 4)
        s.snapshot = oneSubflow()
        let f = DiagnosisRules.findings(for: s)
        XCTAssertEqual(f.first?.code, "subflow_limit_zero")
        XCTAssertTrue(f.first?.message.contains("subflow limit is 0") ?? false)
        XCTAssertTrue(f.contains { $0.code == "single_subflow" && $0.message.hasSuffix("the subflow limit is 0") })
    }

    func testLimitReachedByAConnection() {
        var s = healthy()
        s.limits = PathManagerLimits(subflows: 1, addAddrAccepted: 4)
        s.snapshot = Synthetic.snapshot(at: 1, subflows: [
            Synthetic.subflow("198.18.1.1", 40000, cookie: 1, interface: 2, acked: 10),
            Synthetic.subflow("198.18.2.1", 40001, cookie: 2, interface: 3, acked: 10, join: true),
        ])
        let f = DiagnosisRules.findings(for: s)
        let reached = f.first { $0.code == "subflow_limit_reached" }
        XCTAssertEqual(reached?.token, 0xabcd)
        XCTAssertTrue(reached?.message.contains("the subflow limit 1") ?? false, reached?.message ?? "none")
        XCTAssertTrue(f.contains { $0.code == "more_endpoints_than_limit" })
    }

    func testPeerNotAcceptingJoinsFromTheCounters() {
        var s = healthy()
        s.counters = MPTCPCounters(entries: [.init(name: "MPJoinSynTx", value: 3), .init(name: "MPJoinSynAckRx", value: 0),
                                             .init(name: "MPJoinRejected", value: 2)])
        s.snapshot = oneSubflow()
        let f = DiagnosisRules.findings(for: s)
        XCTAssertTrue(f.contains { $0.code == "joins_unanswered" && $0.message.contains("MPJoinSynTx") })
        XCTAssertTrue(f.contains { $0.code == "joins_rejected" })
        XCTAssertTrue(f.contains { $0.code == "single_subflow" && $0.message.contains("did not accept") })
    }

    func testFallbackConnection() {
        var s = healthy()
        var snap = oneSubflow()
        snap.connections[0].info?.flags = 1
        s.snapshot = snap
        let f = DiagnosisRules.findings(for: s)
        XCTAssertEqual(f.first { $0.token == 0xabcd }?.code, "fallback")
        XCTAssertFalse(f.contains { $0.code == "single_subflow" }, "a fallback is the reason, not a second finding")
    }

    func testEndpointOnADownInterface() {
        var s = healthy()
        s.links = [InterfaceTable.Link(index: 3, name: "cell0", up: false, loopback: false, running: false)]
        s.snapshot = oneSubflow()
        let f = DiagnosisRules.findings(for: s)
        let down = f.filter { $0.code == "endpoint_interface_down" }
        XCTAssertEqual(down.count, 2)
        XCTAssertEqual(down.first?.message, "endpoint 198.18.2.1 (id 1) is on cell0, which is down (ip link set cell0 up)")
        XCTAssertTrue(f.contains { $0.code == "single_subflow" && $0.message.contains("unusable") })
        s.links = [InterfaceTable.Link(index: 3, name: "cell0", up: true, loopback: false, running: false)]
        XCTAssertTrue(DiagnosisRules.findings(for: s).contains { $0.message.contains("no carrier") })
    }

    func testPassiveSideAndUserspaceAndDisabled() {
        var s = healthy()
        s.endpoints = []
        var snap = oneSubflow()
        snap.listeners = [Listener(local: SocketAddress(IPAddress("198.18.1.1")!, 40000), inode: 1, uid: 0)]
        s.snapshot = snap
        let f = DiagnosisRules.findings(for: s)
        XCTAssertEqual(f.first { $0.code == "no_subflow_endpoint" }?.severity, .info, "a pure server opens no subflows itself")
        XCTAssertTrue(f.contains { $0.code == "single_subflow" && $0.message.contains("the peer opens") })

        var u = healthy()
        u.pathManager = .userspace
        u.endpoints = []
        XCTAssertEqual(codes(u), ["userspace_pm", "no_problem"])

        var d = healthy()
        d.mptcpEnabled = false
        XCTAssertEqual(codes(d).first, "mptcp_disabled")
        XCTAssertEqual(codes(PathManagerSetup()), ["mptcp_missing"])
    }

    func testDenyingJoinsToTheInitialAddressIsNamed() {
        var s = healthy()
        s.sysctls = [MPTCPSysctlValue(name: "allow_join_initial_addr_port", value: "0")]
        XCTAssertTrue(codes(s).contains("join_initial_address_denied"))
        s.sysctls = [MPTCPSysctlValue(name: "allow_join_initial_addr_port", value: "1")]
        XCTAssertEqual(codes(s), ["no_problem"])
    }

    /// A 6.18 client's CREATED event from a server with allow_join_initial_addr_port = 0
    /// (Fixtures/events618/client-deny-join-id0.nl) explains its single subflow.
    func testDenyJoinID0FromTheEventsExplainsASingleSubflow() throws {
        let captured = try EventMessage.captured("client-deny-join-id0").compactMap { $0.decoded() }
        let created = try XCTUnwrap(captured.first)
        XCTAssertEqual(created.kind, .created)
        XCTAssertEqual(created.flags, 1)
        XCTAssertTrue(created.denyJoinID0)
        XCTAssertEqual(created.serverSide, false)

        var s = healthy()
        var snap = oneSubflow()
        snap.connections[0].info?.token = try XCTUnwrap(created.token)
        s.snapshot = snap
        let without = DiagnosisRules.findings(for: s).first { $0.code == "single_subflow" }
        XCTAssertFalse(without?.message.contains("deny-join-id0") ?? true)
        s.events = captured
        let with = DiagnosisRules.findings(for: s).first { $0.code == "single_subflow" }
        XCTAssertTrue(with?.message.contains("asked not to be joined at its initial address") ?? false, with?.message ?? "none")
    }

    /// A join the peer rejects at the last step shows on this side as SUB_ESTABLISHED followed
    /// at once by SUB_CLOSED (observed on 6.18 with the server's subflow limit at 0).
    func testJoinClosedAtOnceIsThePeerRejectingIt() {
        var s = healthy()
        s.snapshot = oneSubflow()
        func event(_ kind: PathManagerEventKind, at ms: UInt64) -> PathManagerEvent {
            var e = PathManagerEvent(kind: kind, monotonic: ms * 1_000_000)
            e.token = 0xabcd
            e.local = SocketAddress(IPAddress("198.18.2.1")!, 42771)
            e.remote = SocketAddress(IPAddress("198.18.0.1")!, 5201)
            return e
        }
        s.events = [event(.subflowEstablished, at: 1000), event(.subflowClosed, at: 1001)]
        let f = DiagnosisRules.findings(for: s).first { $0.code == "single_subflow" }
        XCTAssertTrue(f?.message.contains("took the join and closed it at once") ?? false, f?.message ?? "none")
        // A join that lived for minutes before it closed is another story.
        s.events = [event(.subflowEstablished, at: 1000), event(.subflowClosed, at: 200_000)]
        let g = DiagnosisRules.findings(for: s).first { $0.code == "single_subflow" }
        XCTAssertFalse(g?.message.contains("took the join") ?? true)
    }

    /// A connection that showed no mptcp_info has no token: its findings say "-" and carry
    /// none (not a 00000000 a script would take for a real token), and events with a token of
    /// 0 are not its events.
    func testAConnectionWithoutATokenIsNotGivenOne() throws {
        var s = healthy()
        var snap = oneSubflow()
        snap.connections[0].info = nil
        s.snapshot = snap
        var closed = PathManagerEvent(kind: .subflowEstablished, monotonic: 1_000_000_000)
        closed.token = 0
        var gone = PathManagerEvent(kind: .subflowClosed, monotonic: 1_001_000_000)
        gone.token = 0
        s.events = [closed, gone]
        let f = try XCTUnwrap(DiagnosisRules.findings(for: s).first { $0.code == "single_subflow" })
        XCTAssertNil(f.token)
        XCTAssertTrue(f.message.hasPrefix("connection - ("), f.message)
        XCTAssertFalse(f.message.contains("took the join"), f.message)
    }

    func testFindingsAreOrderedBySeverity() {
        var s = healthy()
        s.limits = PathManagerLimits(subflows: 0, addAddrAccepted: 0)
        s.counters = MPTCPCounters(entries: [.init(name: "MPJoinSynTx", value: 3), .init(name: "MPCapableFallbackACK", value: 1)])
        let severities = DiagnosisRules.findings(for: s).map(\.severity)
        XCTAssertEqual(severities, severities.sorted(by: >))
        let json = DiagnosisJSON.render(Diagnosis(setup: s))
        for key in [#""path_manager":"kernel""#, #""endpoints":["#, #""limits":{"subflows":0"#, #""sysctls":{"#,
                    #""findings":[{"severity":"problem","code":"subflow_limit_zero""#] {
            XCTAssertTrue(json.contains(key), "\(key) missing in \(json)")
        }
    }
}
