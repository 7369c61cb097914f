import XCTest
@testable import MPTCPKit

/// `TCPInfo` keeps plain values and a bit per field, read back as the Optionals they were.
final class TCPInfoStorageTests: XCTestCase {
    /// Every field, as a key path the tests set and clear.
    private let fields32: [WritableKeyPath<TCPInfo, UInt32?>] = [
        \.rto, \.sndMss, \.unacked, \.lost, \.retransInFlight, \.lastDataSent, \.lastDataReceived, \.lastAckReceived, \.pmtu,
        \.rtt, \.rttVar, \.sndSsthresh, \.sndCwnd, \.totalRetrans, \.segsOut, \.segsIn, \.notSentBytes, \.minRtt, \.sndWnd, \.rcvWnd,
    ]
    private let fields64: [WritableKeyPath<TCPInfo, UInt64?>] = [
        \.pacingRate, \.bytesAcked, \.bytesReceived, \.deliveryRate, \.busyTime, \.bytesSent, \.bytesRetrans,
    ]
    private let fields8: [WritableKeyPath<TCPInfo, UInt8?>] = [\.state, \.caState, \.backoff]

    func testEachFieldIsItsOwnAndClearsBackToNil() {
        var t = TCPInfo()
        // Distinct values, the largest too, and 0 (known, unlike nil).
        for (k, f) in fields32.enumerated() { t[keyPath: f] = k == 0 ? 0 : UInt32.max - UInt32(k) }
        for (k, f) in fields64.enumerated() { t[keyPath: f] = UInt64.max - UInt64(k) }
        for (k, f) in fields8.enumerated() { t[keyPath: f] = UInt8(200 + k) }
        t.totalRTO = 0xfffe
        for (k, f) in fields32.enumerated() { XCTAssertEqual(t[keyPath: f], k == 0 ? 0 : UInt32.max - UInt32(k), "\(f)") }
        for (k, f) in fields64.enumerated() { XCTAssertEqual(t[keyPath: f], UInt64.max - UInt64(k), "\(f)") }
        for (k, f) in fields8.enumerated() { XCTAssertEqual(t[keyPath: f], UInt8(200 + k), "\(f)") }
        XCTAssertEqual(t.totalRTO, 0xfffe)
        for f in fields32 { t[keyPath: f] = nil }
        for f in fields64 { t[keyPath: f] = nil }
        for f in fields8 { t[keyPath: f] = nil }
        t.totalRTO = nil
        XCTAssertEqual(t, TCPInfo(), "every field cleared is the same as never set")
        XCTAssertNil(t.rto)
        XCTAssertNil(t.bytesAcked)
    }

    func testZeroIsNotNilAndEqualityFollowsTheOptionals() {
        var a = TCPInfo(), b = TCPInfo()
        a.sndCwnd = 0
        XCTAssertEqual(a.sndCwnd, 0)
        XCTAssertNotEqual(a, b, "a known 0 is not an unknown field")
        b.sndCwnd = 0
        XCTAssertEqual(a, b)
    }

    func testAShortTCPInfoLeavesTheFieldsPastItsEndNil() {
        // 104 bytes: up to tcpi_total_retrans (offset 100), nothing from pacing_rate on.
        var bytes = [UInt8](repeating: 0, count: 104)
        bytes[80] = 10 // snd_cwnd
        bytes[100] = 3 // total_retrans
        let t = bytes.withUnsafeBytes { TCPInfo(ByteView($0)) }
        XCTAssertEqual(t.length, 104)
        XCTAssertEqual(t.sndCwnd, 10)
        XCTAssertEqual(t.totalRetrans, 3)
        XCTAssertEqual(t.rto, 0)
        XCTAssertNil(t.pacingRate)
        XCTAssertNil(t.bytesAcked)
        XCTAssertNil(t.totalRTO)
    }

    func testTheSubflowIsSmallerToMove() {
        // Each Optional field had a tag byte and padding: 288 bytes, a Subflow 496 (stride).
        XCTAssertLessThanOrEqual(MemoryLayout<TCPInfo>.stride, 160)
        XCTAssertLessThanOrEqual(MemoryLayout<Subflow>.stride, 368)
    }
}
