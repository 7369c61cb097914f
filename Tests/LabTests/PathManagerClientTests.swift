import LabKit
import MPTCPKit
import XCTest

/// The path-manager netlink client against `ip mptcp` in a lab namespace.
final class PathManagerClientTests: XCTestCase {
    func testReadsTheLabsEndpointsAndLimits() throws {
        let lab = try makeLab()
        let saved = try NetworkNamespace.Saved()
        try NetworkNamespace.enter(lab.clientNamespace)
        defer { try? saved.restore() }
        let client = try PathManagerClient()
        XCTAssertEqual(client.family.name, "mptcp_pm")
        XCTAssertNotNil(client.family.groups["mptcp_pm_events"])
        let endpoints = try client.endpoints()
        let addresses = Set(endpoints.compactMap { $0.address?.description })
        XCTAssertEqual(addresses, ["198.18.2.1", "2001:db8:2::1"])
        XCTAssertTrue(endpoints.allSatisfy { $0.flags.contains(.subflow) })
        let limits = try client.limits()
        XCTAssertEqual(Int(limits.subflows), lab.options.subflowLimit)
    }
}
