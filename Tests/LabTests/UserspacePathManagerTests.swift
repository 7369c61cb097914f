import Foundation
import LabKit
import MPTCPKit
import XCTest

/// The actions with the userspace path manager: it opens no extra subflow by itself, so the
/// tests create one with SUBFLOW_CREATE; closing uses SUBFLOW_DESTROY, backup is per subflow.
final class UserspacePathManagerTests: XCTestCase {
    /// A lab whose client uses the userspace path manager (`sysctlSetting` before the
    /// connection starts: the path manager is fixed when a connection is made), with a paced
    /// transfer on wifi0 plus a subflow on cell0 created through SUBFLOW_CREATE.
    private func userspaceLab(_ sysctlSetting: String) throws -> (Lab, TrafficSession, token: String) {
        let lab = try makeLab(LabOptions(subflowEndpoint: false))
        let ns = lab.clientNamespace
        try lab.run(in: ns, "sysctl", ["-q", "-w", sysctlSetting])
        XCTAssertEqual(try lab.run(in: ns, "sysctl", ["-n", "net.mptcp.pm_type"]).trimmingCharacters(in: .whitespacesAndNewlines), "1")
        let session = try TrafficSession(lab: lab, sendArguments: ["--rate", "8M"])
        _ = try session.waitForSubflows(1)
        let (token, _) = try onlyConnection(in: ns)
        let home = try NetworkNamespace.Saved()
        try NetworkNamespace.enter(ns)
        defer { try? home.restore() }
        let interfaces = try InterfaceTable()
        try interfaces.refresh()
        let cell = try XCTUnwrap(interfaces.index(named: "cell0"))
        try PathManagerClient().createSubflow(token: try TokenText.parse(token), local: try XCTUnwrap(IPAddress(LabPath.cell.clientIPv4)),
                                              interfaceIndex: Int32(cell),
                                              remote: SocketAddress(try XCTUnwrap(IPAddress(LabAddress.serviceIPv4)), 5201))
        try home.restore()
        _ = try session.waitForSubflows(2)
        return (lab, session, token)
    }

    func testCloseUsesSubflowDestroyAndBackupIsPerSubflow() throws {
        let (lab, session, token) = try userspaceLab("net.mptcp.pm_type=1")
        let ns = lab.clientNamespace
        let cellLocal = try subflowLocal(on: "cell0", in: try onlyConnection(in: ns).subflows)

        let backup = try runMptop(["backup", "--token", token, "--subflow", cellLocal, "--on", "--yes", "--netns", ns])
        XCTAssertEqual(backup.status, 0, backup.stderr)
        XCTAssertTrue(backup.stdout.contains("this connection only"), backup.stdout)
        let marked = try waitUntil(timeout: 3) {
            try onlyConnection(in: ns).subflows.first { $0.string("local") == cellLocal }?.bool("backup") == true
        }
        XCTAssertTrue(marked, "the cell0 subflow should be backup now")

        let close = try runMptop(["close", "--token", token, "--subflow", cellLocal, "--yes", "--netns", ns])
        XCTAssertEqual(close.status, 0, close.stderr)
        XCTAssertTrue(close.stdout.contains("SUBFLOW_DESTROY"), close.stdout)
        XCTAssertEqual(try onlyConnection(in: ns).subflows.map { $0.string("interface") }, ["wifi0"])
        XCTAssertFalse(try SSReport.tcp(namespace: ns).sockets.contains { $0.local == cellLocal })
        try assertTransferIntact(session)
    }

    func testCloseFailoverRecreatesTheSubflows() throws {
        let (lab, session, token) = try userspaceLab("net.mptcp.path_manager=userspace")
        let ns = lab.clientNamespace
        let out = try runMptop(["failover", "--token", token, "--interface", "cell0", "--mode", "close",
                                "--duration", "1", "--baseline", "1", "--json", "--yes", "--netns", ns], timeout: 30)
        XCTAssertEqual(out.status, 0, out.stderr)
        let report = try JSONObject(parsing: out.stdout)
        XCTAssertEqual(report.bool("restored"), true, out.stdout)
        XCTAssertEqual(report.bool("survived"), true)
        XCTAssertTrue(out.stderr.contains("SUBFLOW_DESTROY"), out.stderr)
        XCTAssertEqual(Set(try onlyConnection(in: ns).subflows.compactMap { $0.string("interface") }), ["wifi0", "cell0"])
        try assertTransferIntact(session)
    }
}
