import Testing
@testable import MPTCPKit

/// Units a person can read (Swift Testing; the rest of the suite is XCTest).
struct UnitsTests {
    @Test(arguments: [
        (nil, "-"), (999.0, "999b/s"), (1_500.0, "1.5Kb/s"), (45_200_000.0, "45Mb/s"), (2_500_000_000.0, "2.5Gb/s"),
    ] as [(Double?, String)])
    func rates(bps: Double?, text: String) {
        #expect(Units.rate(bps) == text)
    }

    @Test func bytes() {
        #expect(Units.bytes(nil) == "-")
        #expect(Units.bytes(0) == "0B")
        #expect(Units.bytes(1023) == "1023B")
        #expect(Units.bytes(4 * 1024 * 1024 + 100_000) == "4.1MiB")
    }

    @Test func millisecondsAndPercent() {
        #expect(Units.milliseconds(micros: 12_500) == "12.5ms")
        #expect(Units.milliseconds(micros: 250_000) == "250ms")
        #expect(Units.milliseconds(micros: nil) == "-")
        #expect(Units.percent(0.256) == "26%")
    }

    @Test func fixedPoint() {
        #expect(Units.fixed(-0.04, decimals: 1) == "0.0")
        #expect(Units.fixed(1.05, decimals: 2) == "1.05")
        #expect(Units.fixed(-2.25, decimals: 1) == "-2.3")
        #expect(Units.fixed(.infinity, decimals: 1) == "-")
    }
}
