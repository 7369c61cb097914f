import XCTest
@testable import MPTCPKit

/// Departed connections and subflows: kept with their last figures and reason, then dropped.
final class DeparturesTests: XCTestCase {
    private let wifi = Synthetic.subflow("198.18.1.1", 40000, cookie: 1, interface: 1, acked: 1000)
    private let cell = Synthetic.subflow("198.18.2.1", 40001, cookie: 2, interface: 2, acked: 500, join: true)

    private func subflowClosed(token: UInt32 = 0xabcd, _ s: Subflow, errno: Int32?, at seconds: Double) -> PathManagerEvent {
        var e = PathManagerEvent(kind: .subflowClosed, time: 1_700_000_000 + seconds, monotonic: UInt64(seconds * 1e9))
        e.token = token
        e.local = s.local
        e.remote = s.remote
        e.error = errno.map(PathManagerEventError.init(errno:))
        return e
    }

    func testSubflowThatVanishesKeepsItsFiguresAndTheEventsReason() {
        var d = Departures()
        d.update(with: Synthetic.snapshot(at: 0, subflows: [wifi, cell]))
        XCTAssertTrue(d.subflows.isEmpty)
        // The event comes first (within milliseconds of the kill), the sample after it.
        d.note(subflowClosed(cell, errno: 103, at: 0.5))
        d.update(with: Synthetic.snapshot(at: 1, subflows: [wifi]))
        XCTAssertEqual(d.subflows.count, 1)
        let gone = d.subflows[0]
        XCTAssertEqual(gone.subflow.cookie, 2)
        XCTAssertEqual(gone.subflow.tcp?.bytesAcked, 500, "final figures kept")
        XCTAssertEqual(gone.reason, "connection aborted (closed locally)")
        XCTAssertEqual(gone.event?.kind, .subflowClosed)
        XCTAssertEqual(gone.connectionToken, 0xabcd)
        XCTAssertEqual(d.subflows(ofConnection: 7).count, 1)
        XCTAssertTrue(d.connections.isEmpty)
    }

    func testEventAfterTheSampleStillNamesTheReason() {
        var d = Departures()
        d.update(with: Synthetic.snapshot(at: 0, subflows: [wifi, cell]))
        d.update(with: Synthetic.snapshot(at: 1, subflows: [wifi]))
        XCTAssertEqual(d.subflows.first?.reason, Departures.goneFromDump)
        d.note(subflowClosed(cell, errno: 104, at: 1.1))
        XCTAssertEqual(d.subflows.first?.reason, "connection reset by peer")
    }

    func testWithoutAnEventTheReasonSaysSo() {
        var d = Departures()
        d.update(with: Synthetic.snapshot(at: 0, subflows: [wifi, cell]))
        // An event for another subflow does not explain this one.
        d.note(subflowClosed(wifi, errno: 104, at: 0.2))
        d.update(with: Synthetic.snapshot(at: 1, subflows: [wifi]))
        XCTAssertEqual(d.subflows.first?.reason, Departures.goneFromDump)
        XCTAssertNil(d.subflows.first?.event)
    }

    func testConnectionDepartsWithItsSubflowsAndExpires() {
        var d = Departures(retention: 30)
        d.update(with: Synthetic.snapshot(at: 0, subflows: [wifi, cell]))
        var closed = PathManagerEvent(kind: .closed, monotonic: UInt64(0.5e9))
        closed.token = 0xabcd
        d.note(closed)
        var empty = Synthetic.snapshot(at: 1, subflows: [])
        empty.connections = []
        d.update(with: empty)
        XCTAssertEqual(d.connections.count, 1)
        XCTAssertEqual(d.connections[0].reason, "connection closed")
        XCTAssertEqual(d.connections[0].connection.subflows.map(\.cookie), [1, 2])
        XCTAssertTrue(d.subflows.isEmpty, "its subflows stay inside the departed connection")

        var later = empty
        later.monotonic = UInt64(30.9e9)
        d.update(with: later)
        XCTAssertEqual(d.connections.count, 1, "kept for 30 s")
        later.monotonic = UInt64(31.1e9)
        d.update(with: later)
        XCTAssertTrue(d.connections.isEmpty, "dropped after 30 s")
    }

    func testConnectionWithoutCloseEventAndConfigurableRetention() {
        var d = Departures(retention: 5)
        d.update(with: Synthetic.snapshot(at: 0, subflows: [wifi]))
        var empty = Synthetic.snapshot(at: 1, subflows: [])
        empty.connections = []
        d.update(with: empty)
        XCTAssertEqual(d.connections.first?.reason, Departures.goneFromDump)
        empty.monotonic = UInt64(6.5e9)
        d.update(with: empty)
        XCTAssertTrue(d.connections.isEmpty)
    }

    func testFirstSampleHasNoDepartures() {
        var d = Departures()
        d.note(subflowClosed(cell, errno: 103, at: 0))
        d.update(with: Synthetic.snapshot(at: 1, subflows: [wifi]))
        XCTAssertTrue(d.subflows.isEmpty && d.connections.isEmpty)
    }
}
