import Foundation
import LabKit
import MPTCPKit
import XCTest

/// The benchmark's connection churn (`TrafficChurn`) over a real lab: the rate it promises,
/// every connection closed again, and the server's check of every byte.
final class TrafficChurnTests: XCTestCase {
    func testChurnOpensAndClosesConnectionsAtItsRate() throws {
        let lab = try makeLab(LabOptions(wifiRate: nil, cellRate: nil))
        let server = try lab.spawn(in: lab.serverNamespace, executable: try mptopPath(),
                                   arguments: ["traffic", "serve", "--listen", "\(LabAddress.serviceIPv4):5201", "--json"])
        XCTAssertNotNil(server.waitForLine(containing: #""event":"listening""#, timeout: 10), server.diagnosis)
        let options = TrafficChurnOptions(target: try TrafficEndpoint(parsing: "\(LabAddress.serviceIPv4):5201"),
                                          rate: 100, seconds: 2, lifetime: 0.05...0.2, payloadBytes: 4096)
        var ticks = 0
        let report = try inNamespace(lab.clientNamespace) { try TrafficChurn(options: options).run(tickEvery: 0.5) { ticks += 1 } }
        XCTAssertTrue((198...200).contains(report.opened), "\(report)")
        XCTAssertEqual(report.closed, report.opened)
        XCTAssertEqual(report.failed, 0, report.firstError ?? "")
        XCTAssertEqual(report.incomplete, 0)
        XCTAssertTrue((3...4).contains(ticks), "\(ticks) ticks")
        XCTAssertGreaterThan(report.peakOpen, 1)

        let closed = { server.lines.filter { $0.contains(#""event":"closed""#) } }
        XCTAssertTrue(waitUntil(timeout: 10) { closed().count == report.opened }, "\(closed().count) of \(report.opened) closed at the server")
        for line in closed() {
            let event = try JSONObject(parsing: line)
            XCTAssertEqual(event.number("bytes_received"), 16 + 4096, line)
            XCTAssertEqual(event.bool("intact"), true, line)
        }
    }
}
