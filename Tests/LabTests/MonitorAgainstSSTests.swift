import Foundation
import LabKit
import XCTest

/// mptop's one-shot report of a live lab, checked against `ss` and against what the receiver
/// actually got.
final class MonitorAgainstSSTests: XCTestCase {
    func testIPv4ConnectionsMatchSS() throws {
        try checkMonitorAgainstSS(ipv6: false)
    }

    func testIPv6ConnectionsMatchSS() throws {
        try checkMonitorAgainstSS(ipv6: true)
    }

    private func checkMonitorAgainstSS(ipv6: Bool, file: StaticString = #filePath, line: UInt = #line) throws {
        let lab = try makeLab()
        let session = try TrafficSession(lab: lab, ipv6: ipv6, connections: 2)
        let ssTCP = try session.waitForSubflows(2)
        let ssMPTCP = try SSReport.connections(namespace: lab.clientNamespace)
        let report = try mptopOnce(namespace: lab.clientNamespace)
        let result = try session.finish()

        XCTAssertEqual(report.string("namespace"), lab.clientNamespace)
        let family = ipv6 ? "ipv6" : "ipv4"
        let connections = report.objects("connections").filter { $0.string("state") == "ESTAB" }

        // Tokens: the same set as ss -M.
        let ssTokens = Set(ssMPTCP.sockets.filter { $0.state == "ESTAB" }.compactMap(\.token))
        XCTAssertEqual(ssTokens.count, 2, "ss -M should show the 2 connections")
        XCTAssertEqual(Set(connections.compactMap { $0.string("token") }), ssTokens, "tokens differ from ss -M")

        let servicePrefix = ipv6 ? "[\(LabAddress.serviceIPv6)]:" : "\(LabAddress.serviceIPv4):"
        let clientWifi = ipv6 ? "[\(LabPath.wifi.clientIPv6)]:" : "\(LabPath.wifi.clientIPv4):"
        let clientCell = ipv6 ? "[\(LabPath.cell.clientIPv6)]:" : "\(LabPath.cell.clientIPv4):"
        let closedByPeer = Dictionary(result.closed.compactMap { event in event.string("peer").map { ($0, event) } },
                                      uniquingKeysWith: { first, _ in first })

        for connection in connections {
            let token = connection.string("token") ?? "?"
            XCTAssertEqual(connection.string("family"), family, "token \(token)")
            XCTAssertEqual(connection.bool("fallback"), false, "token \(token)")
            XCTAssertEqual(token.count, 8, "token should be 8 hex digits: \(token)")
            XCTAssertTrue(connection.string("remote")?.hasPrefix(servicePrefix) ?? false,
                          "remote \(connection.string("remote") ?? "nil") is not the service address")

            // Subflows: two, with exactly the addresses ss shows for this token.
            let subflows = connection.objects("subflows")
            XCTAssertEqual(subflows.count, 2, "token \(token) subflows")
            let ssSubflows = ssTCP.subflowsByToken[token] ?? []
            XCTAssertEqual(Set(subflows.compactMap { $0.string("local") }), Set(ssSubflows.map(\.local)),
                           "token \(token): local addresses differ from ss -t")
            XCTAssertEqual(Set(subflows.compactMap { $0.string("remote") }), Set(ssSubflows.map(\.remote)),
                           "token \(token): remote addresses differ from ss -t")
            XCTAssertEqual(Set(subflows.compactMap { $0.string("interface") }), ["wifi0", "cell0"], "token \(token)")

            for subflow in subflows {
                let local = subflow.string("local") ?? ""
                if local.hasPrefix(clientCell) {
                    XCTAssertEqual(subflow.string("interface"), "cell0", "subflow \(local)")
                } else if local.hasPrefix(clientWifi) {
                    XCTAssertEqual(subflow.string("interface"), "wifi0", "subflow \(local)")
                } else {
                    XCTFail("subflow from unexpected address \(local)")
                }
                XCTAssertEqual(subflow.string("state"), "ESTAB", "subflow \(local)")
                XCTAssertGreaterThan(subflow.number("cwnd") ?? 0, 0, "subflow \(local) cwnd")
                let rtt = subflow.number("rtt_ms") ?? -1
                XCTAssertTrue(rtt > 0 && rtt < 1000, "subflow \(local) rtt_ms \(rtt)")
                XCTAssertGreaterThan(subflow.number("bytes_acked") ?? 0, 0, "subflow \(local) bytes_acked")
                // TCP counts the SYN in bytes_acked, hence the + 1.
                XCTAssertLessThanOrEqual(subflow.number("bytes_acked") ?? 0, (subflow.number("bytes_sent") ?? 0) + 1,
                                         "subflow \(local): acked more than sent")
            }

            // Bytes: acked before the sample can be no more than the receiver got in the end,
            // and the subflows together carried at least what the connection saw acked
            // (reinjection only adds). The two dumps are a moment apart, hence the slack.
            let acked = connection.number("bytes_acked") ?? 0
            XCTAssertGreaterThan(acked, 0, "token \(token) bytes_acked")
            XCTAssertLessThanOrEqual(acked, connection.number("bytes_sent") ?? 0, "token \(token): acked more than sent")
            let subflowAcked = subflows.compactMap { $0.number("bytes_acked") }.reduce(0, +)
            XCTAssertGreaterThanOrEqual(subflowAcked + 256 * 1024, acked,
                                        "token \(token): subflows carried less than the connection had acked")
            if let local = connection.string("local"), let closed = closedByPeer[local] {
                XCTAssertLessThanOrEqual(acked, closed.number("bytes_received") ?? 0,
                                         "token \(token): mptop saw more acked than the receiver got")
                XCTAssertEqual(closed.bool("intact"), true, "receiver found corrupted data on \(local)")
            } else {
                XCTFail("the receiver reported no connection from \(connection.string("local") ?? "nil")")
            }

            // Interface shares: fractions that add up to 1.
            let shares = connection.objects("interfaces").compactMap { $0.number("share") }
            XCTAssertFalse(shares.isEmpty, "token \(token) has no interface shares")
            XCTAssertTrue(shares.allSatisfy { (0...1).contains($0) }, "token \(token) shares \(shares)")
            XCTAssertEqual(shares.reduce(0, +), 1, accuracy: 0.01, "token \(token) shares \(shares)")
        }

        let interfaces = report.objects("interfaces")
        XCTAssertEqual(Set(interfaces.compactMap { $0.string("name") }), ["wifi0", "cell0"])
        let shares = interfaces.compactMap { $0.number("share") }
        XCTAssertTrue(shares.allSatisfy { (0...1).contains($0) }, "interface shares \(shares)")
        XCTAssertEqual(shares.reduce(0, +), 1, accuracy: 0.01, "interface shares \(shares)")

        XCTAssertEqual(result.summary.bool("intact"), true, "the receiver found corrupted data")
        XCTAssertEqual(result.summary.number("connections"), 2)
        XCTAssertEqual(result.closed.count, 2)
        if let sent = result.bytesSent {
            XCTAssertEqual(result.summary.number("bytes_received"), sent, "receiver got a different byte count than sent")
        } else {
            XCTFail("sender printed no done event: \(session.sender.diagnosis)")
        }
    }
}
