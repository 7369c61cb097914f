import XCTest
@testable import MPTCPKit

/// Numbers from the kernel or from files are not trusted to be small: formatting and summing
/// them never traps (an overflow in Swift arithmetic kills mptop with SIGILL).
final class UntrustedNumbersTests: XCTestCase {
    func testHugeValuesAreFormattedNotTrapped() {
        XCTAssertTrue(Units.rate(1e40).hasSuffix("e+28Tb/s"), Units.rate(1e40))
        XCTAssertEqual(Units.fixed(-1e30, decimals: 1), "-1e+30")
        XCTAssertEqual(Units.percent(1e20), "1e+22%")
        XCTAssertEqual(Units.bytes(.max), "16777216TiB")
    }

    func testCountersNearTheirMaximumDoNotOverflowTheDiagnosis() {
        var s = PathManagerSetup(namespace: "lab")
        s.mptcpEnabled = true
        s.counters = MPTCPCounters(entries: [.init(name: "MPJoinSynAckHMacFailure", value: .max),
                                             .init(name: "MPJoinAckHMacFailure", value: .max)])
        let finding = Diagnosis(setup: s).findings.first { $0.code == "join_hmac_failures" }
        XCTAssertEqual(finding?.message.hasPrefix("\(UInt64.max) joins failed authentication"), true, "\(String(describing: finding))")
    }
}
