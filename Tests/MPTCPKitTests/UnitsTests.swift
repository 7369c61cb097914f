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

    /// The prefix and the places follow the number as it will be shown, after rounding: 999.7
    /// b/s is "1.0Kb/s", not "1000b/s" (one character wider than any rate should be, which a
    /// narrow column then cuts), and 9.96 Kb/s is "10Kb/s", not "10.0Kb/s".
    @Test(arguments: [
        (999.4, "999b/s"), (999.7, "1.0Kb/s"), (9_940.0, "9.9Kb/s"), (9_960.0, "10Kb/s"),
        (999_499.0, "999Kb/s"), (999_700.0, "1.0Mb/s"), (999_700_000.0, "1.0Gb/s"),
        (999_700_000_000.0, "1.0Tb/s"), (1_500_000_000_000_000.0, "1500Tb/s"),
    ] as [(Double, String)])
    func ratesRoundedBeforeTheirPrefix(bps: Double, text: String) {
        #expect(Units.rate(bps) == text)
    }

    @Test func bytesRoundedBeforeTheirPrefix() {
        #expect(Units.bytes(1_048_000) == "1023KiB")      // 1023.4 KiB
        #expect(Units.bytes(1_048_500) == "1.0MiB")       // 1023.9 KiB
        #expect(Units.bytes(10_188) == "9.9KiB")          // 9.949 KiB
        #expect(Units.bytes(10_200) == "10KiB")           // 9.96 KiB
    }

    @Test func millisecondsAndAgesRoundedBeforeTheirPlaces() {
        #expect(Units.milliseconds(micros: 99_940) == "99.9ms")
        #expect(Units.milliseconds(micros: 99_960) == "100ms")
        #expect(Units.age(milliseconds: 9_960) == "10s")
        #expect(Units.age(milliseconds: 599_600) == "10m")
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
