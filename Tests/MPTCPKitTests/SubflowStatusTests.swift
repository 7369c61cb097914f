@testable import MPTCPKit
@testable import Output
import XCTest

/// The status rules on tcp_info facts. The stalled → recovering sequence is what a 6.18 kernel
/// reported, every 0.5 s, for the wifi0 subflow of a lab transfer whose wifi0 far end went down
/// and came back (SubflowStatusLabTests logs it).
final class SubflowStatusTests: XCTestCase {
    struct Facts {
        var state: UInt8 = 1
        var unacked: UInt32
        var backoff: UInt8
        var lastAck: UInt32
        var lastSent: UInt32
        var lastRecv: UInt32
        var rttMs: Double
        var backup = false
    }

    func subflow(_ f: Facts) -> Subflow {
        var s = Synthetic.subflow("198.18.1.1", 40000, cookie: 1, interface: 1, acked: 1_000_000)
        s.state = SocketState(rawValue: f.state)
        s.tcp?.unacked = f.unacked
        s.tcp?.backoff = f.backoff
        s.tcp?.lastAckReceived = f.lastAck
        s.tcp?.lastDataSent = f.lastSent
        s.tcp?.lastDataReceived = f.lastRecv
        s.tcp?.rtt = UInt32(f.rttMs * 1000)
        if f.backup, let flags = s.ulp?.flags { s.ulp?.flags = flags | 0x20 }
        return s
    }

    func testRecordedStallAndRecovery() {
        let recorded: [(Facts, SubflowStatus)] = [
            (Facts(unacked: 120, backoff: 0, lastAck: 0, lastSent: 8, lastRecv: 560, rttMs: 27.7), .active),
            (Facts(unacked: 135, backoff: 1, lastAck: 552, lastSent: 244, lastRecv: 1196, rttMs: 31.0), .stalled(sinceAck: 552)),
            (Facts(unacked: 135, backoff: 2, lastAck: 1628, lastSent: 1320, lastRecv: 2272, rttMs: 31.0), .stalled(sinceAck: 1628)),
            (Facts(unacked: 135, backoff: 3, lastAck: 3780, lastSent: 408, lastRecv: 4424, rttMs: 31.0), .stalled(sinceAck: 3780)),
            (Facts(unacked: 135, backoff: 4, lastAck: 5360, lastSent: 1988, lastRecv: 6004, rttMs: 31.0), .stalled(sinceAck: 5360)),
            (Facts(unacked: 19, backoff: 0, lastAck: 0, lastSent: 4, lastRecv: 7072, rttMs: 5.6), .active),
        ]
        for (i, (facts, expected)) in recorded.enumerated() {
            XCTAssertEqual(subflow(facts).status, expected, "sample \(i)")
        }
        // While stalled, the RTT (31 ms, from before the path died) is stale news.
        XCTAssertTrue(subflow(recorded[2].0).rttIsStale)
        XCTAssertFalse(subflow(recorded[0].0).rttIsStale)
    }

    func testNoAckWhileDataIsOutstandingIsAStallEvenBeforeTheTimerBacksOff() {
        XCTAssertEqual(subflow(Facts(unacked: 10, backoff: 0, lastAck: 1500, lastSent: 10, lastRecv: 2000, rttMs: 20)).status,
                       .stalled(sinceAck: 1500))
        // A slow path (RTT 600 ms) is not stalled after one second without an ACK.
        XCTAssertEqual(subflow(Facts(unacked: 10, backoff: 0, lastAck: 1500, lastSent: 10, lastRecv: 2000, rttMs: 600)).status, .active)
    }

    func testIdleBackupOpeningAndClosing() {
        let quiet = Facts(unacked: 0, backoff: 0, lastAck: 5000, lastSent: 5000, lastRecv: 5000, rttMs: 10)
        XCTAssertEqual(subflow(quiet).status, .idle)
        var backup = quiet
        backup.backup = true
        XCTAssertEqual(subflow(backup).status, .backup)
        var busyBackup = backup
        busyBackup.lastSent = 2
        busyBackup.unacked = 40
        busyBackup.lastAck = 1
        XCTAssertEqual(subflow(busyBackup).status, .active, "a backup subflow in use is active")
        var receiving = quiet
        receiving.lastRecv = 3
        XCTAssertEqual(subflow(receiving).status, .active, "receiving is carrying data")
        var opening = quiet
        opening.state = 2
        XCTAssertEqual(subflow(opening).status, .opening)
        for state: UInt8 in [4, 5, 6, 7, 8, 9, 11] {
            var closing = quiet
            closing.state = state
            XCTAssertEqual(subflow(closing).status, .closing, "state \(state)")
        }
        var noInfo = subflow(quiet)
        noInfo.tcp = nil
        XCTAssertEqual(noInfo.status, .active)
    }

    func testTheTableAndJSONCarryTheStatus() {
        let s = subflow(Facts(unacked: 135, backoff: 2, lastAck: 1628, lastSent: 1320, lastRecv: 2272, rttMs: 31.0))
        var w = JSONWriter()
        SnapshotJSON.subflow(s, &w)
        XCTAssertTrue(w.text.contains(#""status":"stalled","stalled_ms":1628"#), w.text)
        XCTAssertTrue(w.text.contains(#""unacked":135,"rto_backoff":2,"last_ack_ms":1628,"last_data_sent_ms":1320"#), w.text)
        XCTAssertEqual(SnapshotTable.statusText(s.status), "stalled 1.6s")
        var healthy = JSONWriter()
        SnapshotJSON.subflow(subflow(Facts(unacked: 1, backoff: 0, lastAck: 0, lastSent: 0, lastRecv: 0, rttMs: 5)), &healthy)
        XCTAssertTrue(healthy.text.contains(#""status":"active","stalled_ms":null"#), healthy.text)
    }

    /// Found by the sockdiag fuzz target: four times an RTT near UInt32.max overflowed.
    func testAnyRTTTheKernelSendsIsJudgedWithoutATrap() {
        var s = subflow(Facts(unacked: 1, backoff: 0, lastAck: UInt32.max, lastSent: 0, lastRecv: 0, rttMs: 0))
        s.tcp?.rtt = UInt32.max
        XCTAssertEqual(s.status, .stalled(sinceAck: UInt32.max))
        s.tcp?.lastAckReceived = 5000
        XCTAssertEqual(s.status, .active, "an RTT of 71 minutes makes 5 s without an ACK no stall")
    }
}
