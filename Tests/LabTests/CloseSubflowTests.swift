import Foundation
import LabKit
import XCTest

/// `mptop close` against real MPTCP traffic whose every byte is checked at the receiver.
final class CloseSubflowTests: XCTestCase {
    func testClosingTheCellSubflowMidTransferKeepsTheTransferIntact() throws {
        let lab = try makeLab()
        let session = try TrafficSession(lab: lab)
        _ = try session.waitForSubflows(2)
        let ns = lab.clientNamespace
        let (token, subflows) = try onlyConnection(in: ns)
        let cell = try subflowLocal(on: "cell0", in: subflows)

        let out = try runMptop(["close", "--token", token, "--subflow", cell, "--yes", "--netns", ns])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertTrue(out.stdout.contains("closed subflow \(cell)") && out.stdout.contains("SOCK_DESTROY"), out.stdout)

        let after = try onlyConnection(in: ns)
        XCTAssertEqual(after.token, token)
        XCTAssertEqual(after.subflows.map { $0.string("interface") }, ["wifi0"])
        let ss = try SSReport.tcp(namespace: ns)
        XCTAssertFalse(ss.sockets.contains { $0.local == cell }, "ss still lists \(cell)")
        XCTAssertEqual(ss.subflowsByToken.values.map(\.count), [1], "ss and mptop must agree: one subflow left")
        // The transfer goes on over wifi0 and arrives intact.
        usleep(500_000)
        try assertTransferIntact(session)
    }

    func testClosingAnIPv6SubflowMatchesItsFullIdentity() throws {
        let lab = try makeLab()
        let session = try TrafficSession(lab: lab, ipv6: true)
        _ = try session.waitForSubflows(2)
        let ns = lab.clientNamespace
        let (token, subflows) = try onlyConnection(in: ns)
        let cell = try subflowLocal(on: "cell0", in: subflows)
        XCTAssertTrue(cell.hasPrefix("[2001:db8:2::1]:"), cell)

        let out = try runMptop(["close", "--token", token, "--subflow", cell, "--yes", "--netns", ns])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertEqual(try onlyConnection(in: ns).subflows.map { $0.string("interface") }, ["wifi0"])
        try assertTransferIntact(session)
    }

    func testClosingTheLastSubflowIsRefused() throws {
        let lab = try makeLab(LabOptions(subflowEndpoint: false))
        let session = try TrafficSession(lab: lab)
        _ = try session.waitForSubflows(1)
        let ns = lab.clientNamespace
        let (token, subflows) = try onlyConnection(in: ns)
        let wifi = try subflowLocal(on: "wifi0", in: subflows)

        let out = try runMptop(["close", "--token", token, "--subflow", wifi, "--yes", "--netns", ns])
        XCTAssertNotEqual(out.status, 0)
        let message = oneLineError(out)
        XCTAssertTrue(message.contains("last subflow") && message.contains("close_timeout") && message.contains("--force"), message)
        XCTAssertEqual(try onlyConnection(in: ns).subflows.count, 1, "the last subflow must still be there")
        try assertTransferIntact(session)
    }

    func testBadInputIsAOneLineErrorAndChangesNothing() throws {
        try skipUnlessNftables()
        let lab = try makeLab()
        let session = try TrafficSession(lab: lab)
        _ = try session.waitForSubflows(2)
        let ns = lab.clientNamespace
        let (token, subflows) = try onlyConnection(in: ns)
        let cell = try subflowLocal(on: "cell0", in: subflows)
        let state = try namespaceState(lab, ns)

        let cases: [([String], String)] = [
            (["close", "--token", "fffffff0", "--subflow", cell, "--yes"], "no MPTCP connection with token fffffff0"),
            (["close", "--token", "0x\(token)", "--subflow", "198.18.2.1:1", "--yes"], "has no subflow from 198.18.2.1:1"),
            (["close", "--token", "xyz", "--subflow", cell, "--yes"], "is not a token"),
            (["close", "--token", token, "--subflow", "cell0", "--yes"], "is not ADDR:PORT"),
            (["close", "--token", token, "--subflow", cell], "--yes"), // no terminal, no --yes
            (["--readonly", "close", "--token", token, "--subflow", cell, "--yes"], "read-only"),
            (["failover", "--token", token, "--interface", "eth7", "--mode", "blackhole", "--duration", "1", "--yes"], "no interface named 'eth7'"),
            (["failover", "--token", token, "--interface", "lo", "--mode", "blackhole", "--duration", "1", "--yes"], "has no subflow on lo"),
            (["failover", "--token", token, "--interface", "wifi0", "--mode", "unplug", "--duration", "1", "--yes"], "unknown failover mode 'unplug'"),
            (["failover", "--token", "12345", "--interface", "wifi0", "--mode", "blackhole", "--duration", "1", "--yes"], "no MPTCP connection with token 12345"),
            (["backup", "--endpoint", "9", "--on", "--yes"], "no MPTCP endpoint '9'"),
        ]
        for (arguments, expected) in cases {
            let out = try runMptop(arguments + ["--netns", ns])
            XCTAssertNotEqual(out.status, 0, "\(arguments) should fail")
            XCTAssertTrue(oneLineError(out).contains(expected), "\(arguments): \(out.stderr)")
        }
        XCTAssertEqual(try onlyConnection(in: ns).subflows.count, 2, "nothing may change")
        XCTAssertEqual(try namespaceState(lab, ns), state, "nothing may change")
        try assertTransferIntact(session)
    }
}
