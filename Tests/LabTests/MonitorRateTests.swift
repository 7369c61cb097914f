import Foundation
import LabKit
import XCTest

/// mptop's rates are measured, not invented: streaming samples of a shaped lab show a sending
/// rate in the range the shaping allows.
final class MonitorRateTests: XCTestCase {
    func testStreamedRatesMatchShaping() throws {
        // wifi0 50 Mbit/s + cell0 20 Mbit/s: the sender can do at most ~70 Mbit/s.
        let lab = try makeLab(LabOptions(wifiRate: 50_000_000, cellRate: 20_000_000))
        let session = try TrafficSession(lab: lab, connections: 1)
        _ = try session.waitForSubflows(2)
        let output = try runMptop(["--json", "--interval", "0.5", "--count", "3", "--netns", lab.clientNamespace])
        let result = try session.finish()

        XCTAssertEqual(output.status, 0, "mptop failed: \(output.stderr)")
        let lines = output.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3, "expected 3 JSON lines, got: \(output.stdout.prefix(300))")
        let samples = try lines.map { try JSONObject(parsing: $0) }
        guard let last = samples.last, let connection = last.objects("connections").first else {
            return XCTFail("no connection in the last sample")
        }
        let tx = connection.number("tx_bps") ?? -1
        XCTAssertGreaterThan(tx, 5_000_000, "tx_bps \(tx) is below what the lab carries")
        XCTAssertLessThan(tx, 100_000_000, "tx_bps \(tx) is above the 70 Mbit/s the shaping allows")
        // The receiver sends nothing back but acks: its rate is far below the sender's.
        XCTAssertLessThan(connection.number("rx_bps") ?? 0, tx / 10)

        let interfaceRates = last.objects("interfaces").compactMap { $0.number("tx_bps") }
        XCTAssertEqual(interfaceRates.count, 2)
        XCTAssertLessThan(interfaceRates.reduce(0, +), 100_000_000)

        XCTAssertEqual(result.summary.bool("intact"), true)
    }
}
