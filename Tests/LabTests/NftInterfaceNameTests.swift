import Foundation
import LabKit
import XCTest

/// Blackhole mode on an interface whose name nft cannot quote: Linux allows `"`, `}`, `#` and
/// `*` in interface names, and root of a container can pick one. The table must still load,
/// and its rules must drop exactly that interface's subflow.
final class NftInterfaceNameTests: XCTestCase {
    func testBlackholeOnAnInterfaceNamedWithQuoteBraceHashAndStarDropsItsSubflow() throws {
        try skipUnlessNftables()
        let lab = try makeLab()
        let ns = lab.clientNamespace
        let name = "w\"}#*"
        // Renamed while down; down took the route to the service through it, so put it back.
        try ShellCommand.check("ip", ["-n", ns, "link", "set", LabPath.wifi.interface, "down"])
        try ShellCommand.check("ip", ["-n", ns, "link", "set", LabPath.wifi.interface, "name", name])
        try ShellCommand.check("ip", ["-n", ns, "link", "set", name, "up"])
        try ShellCommand.check("ip", ["-n", ns, "route", "replace", LabAddress.serviceIPv4, "via", LabPath.wifi.serverIPv4,
                                      "dev", name, "metric", String(LabPath.wifi.metric)])
        let session = try TrafficSession(lab: lab, sendArguments: ["--rate", "8M"])
        _ = try session.waitForSubflows(2)
        let (token, subflows) = try onlyConnection(in: ns)
        XCTAssertEqual(Set(subflows.compactMap { $0.string("interface") }), [name, LabPath.cell.interface])
        let state = try namespaceState(lab, ns)

        let out = try runMptop(["failover", "--token", token, "--interface", name, "--mode", "blackhole",
                                "--duration", "3", "--baseline", "2", "--json", "--yes", "--netns", ns], timeout: 30)
        XCTAssertEqual(out.status, 0, out.stderr)
        let report = try JSONObject(parsing: out.stdout)
        XCTAssertEqual(report.bool("restored"), true)
        let rates = Dictionary(uniqueKeysWithValues: report.objects("interfaces").compactMap { i in i.string("name").map { ($0, i) } })
        let wifi = try XCTUnwrap(rates[name], out.stdout), cell = try XCTUnwrap(rates[LabPath.cell.interface], out.stdout)
        let totalBefore = (wifi.number("before_bps") ?? 0) + (cell.number("before_bps") ?? 0)
        XCTAssertGreaterThan(totalBefore, 4_000_000, out.stdout)
        XCTAssertLessThan(wifi.number("during_bps") ?? .infinity, 0.1 * totalBefore, "the rules match \(name): \(out.stdout)")
        XCTAssertGreaterThan(cell.number("during_bps") ?? 0, 0.5 * totalBefore, "cell0 takes over: \(out.stdout)")
        XCTAssertEqual(try namespaceState(lab, ns), state, "the namespace must be exactly as before")
        try assertTransferIntact(session)
    }
}
