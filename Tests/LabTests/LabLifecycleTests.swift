import Foundation
import LabKit
import XCTest

/// The lab itself: what it builds, that it cleans up, and the knobs demos use.
final class LabLifecycleTests: XCTestCase {
    func testCloseDeletesNamespacesAndProcesses() throws {
        try skipUnlessLabAvailable()
        let lab = try Lab()
        addTeardownBlock { lab.close() }
        let names = [lab.clientNamespace, lab.serverNamespace]
        XCTAssertTrue(lab.clientNamespace.hasSuffix("-cli") && lab.serverNamespace.hasSuffix("-srv"))
        XCTAssertTrue(lab.clientNamespace.hasPrefix("mptop-\(getpid())-"))
        XCTAssertTrue(names.allSatisfy(namespaceExists))
        let sleeper = try lab.spawn(in: lab.serverNamespace, executable: "/bin/sleep", arguments: ["60"])
        XCTAssertTrue(sleeper.isRunning)

        lab.close()
        lab.close() // idempotent
        XCTAssertFalse(sleeper.isRunning)
        XCTAssertFalse(names.contains(where: namespaceExists))
    }

    func testBuildsPathsAddressesRoutesAndEndpoints() throws {
        let lab = try makeLab()
        let cli = lab.clientNamespace, srv = lab.serverNamespace
        let links = try ShellCommand.check("ip", ["-n", cli, "-o", "link", "show"])
        XCTAssertTrue(links.contains("wifi0") && links.contains("cell0"))
        let serverAddresses = try ShellCommand.check("ip", ["-n", srv, "-o", "addr", "show", "dev", "lo"])
        XCTAssertTrue(serverAddresses.contains("198.18.0.1/32") && serverAddresses.contains("2001:db8::1/128"))
        let routes = try ShellCommand.check("ip", ["-n", cli, "route", "show", "198.18.0.1"])
        XCTAssertTrue(routes.contains("dev wifi0 metric 1") && routes.contains("dev cell0 metric 2"), routes)
        let endpoints = try ShellCommand.check("ip", ["-n", cli, "mptcp", "endpoint", "show"])
        XCTAssertTrue(endpoints.contains("198.18.2.1") && endpoints.contains("2001:db8:2::1"), endpoints)
        let qdiscs = try ShellCommand.check("tc", ["-n", srv, "qdisc", "show", "dev", "cell0"])
        XCTAssertTrue(qdiscs.contains("tbf") && qdiscs.contains("20Mbit"), qdiscs)
    }

    func testWithoutSubflowEndpointConnectionsKeepOneSubflow() throws {
        let lab = try makeLab(LabOptions(subflowEndpoint: false))
        let session = try TrafficSession(lab: lab, connections: 1)
        _ = try session.waitForSubflows(1)
        let report = try mptopOnce(namespace: lab.clientNamespace)
        let subflows = report.objects("connections").first?.objects("subflows") ?? []
        XCTAssertEqual(subflows.count, 1)
        XCTAssertEqual(subflows.first?.string("interface"), "wifi0")
        XCTAssertEqual(try session.finish().summary.bool("intact"), true)
    }

    func testTrafficMovesToCellWhenWifiGoesDown() throws {
        let lab = try makeLab()
        let session = try TrafficSession(lab: lab, connections: 1)
        _ = try session.waitForSubflows(2)
        try lab.setLink(.wifi, up: false)
        XCTAssertFalse(try lab.isLinkUp(.wifi))
        let before = try serverBytes(on: "cell0", lab: lab)
        // MPTCP needs a retransmission timeout or two to reinject what was stuck on wifi0;
        // after that cell0 (20 Mbit/s, ~2.5 MB/s) carries everything. 2 MB proves it moved.
        var after = before
        let moved = try waitUntil(timeout: 8) {
            after = try serverBytes(on: "cell0", lab: lab)
            return after - before > 2_000_000
        }
        XCTAssertTrue(moved, "cell0 carried only \(after - before) bytes in 8 s while wifi0 was down")
        try lab.setLink(.wifi, up: true)
        XCTAssertTrue(try lab.isLinkUp(.wifi))
        // Unshaping is what a demo does to "improve the signal"; the stream must stay intact.
        try lab.setRate(.cell, bitsPerSecond: nil)
        XCTAssertEqual(try session.finish().summary.bool("intact"), true)
    }

    /// Bytes the server's subflows on `device` have received (ss -tni in the server namespace).
    private func serverBytes(on device: String, lab: Lab) throws -> Int {
        let address = device == "cell0" ? LabPath.cell.clientIPv4 : LabPath.wifi.clientIPv4
        let report = try SSReport.tcp(namespace: lab.serverNamespace)
        return report.sockets.filter { $0.remote.hasPrefix(address + ":") }
            .compactMap { Int($0.info["bytes_received"] ?? "") }.reduce(0, +)
    }
}

private func namespaceExists(_ name: String) -> Bool {
    FileManager.default.fileExists(atPath: "/var/run/netns/\(name)")
}
