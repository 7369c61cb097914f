import XCTest
@testable import MPTCPKit

/// The event log the dashboard's `e` pane shows: bounded, filterable.
final class PathManagerEventLogTests: XCTestCase {
    func testLogIsBoundedAndCountsWhatItDropped() throws {
        let captured = try EventMessage.captured("client").compactMap { $0.decoded() }
        var log = PathManagerEventLog(capacity: 5)
        log.append(PathManagerEventBatch(events: captured, overrun: true))
        XCTAssertEqual(log.events.count, 5)
        XCTAssertEqual(log.dropped, captured.count - 5)
        XCTAssertEqual(log.overruns, 1)
        XCTAssertEqual(log.events.last?.kind, .closed, "the newest are kept")
    }

    func testFilterMatchesTokenTypeAddressInterfaceAndReason() throws {
        var captured = try EventMessage.captured("client").compactMap { $0.decoded() }
        for i in captured.indices where captured[i].interfaceIndex == 3 { captured[i].interfaceName = "cell0" }
        var log = PathManagerEventLog()
        for e in captured { log.append(e) }
        XCTAssertEqual(log.filtered("").count, captured.count)
        XCTAssertTrue(log.filtered("523f5ea6").allSatisfy { $0.token == 0x523f_5ea6 })
        XCTAssertEqual(log.filtered("523F5EA6").count, log.filtered("523f5ea6").count)
        XCTAssertEqual(log.filtered("sub_closed").count, 3)
        XCTAssertEqual(log.filtered("refused").count, 2)
        XCTAssertEqual(log.filtered("aborted").count, 1)
        XCTAssertTrue(log.filtered("cell0").allSatisfy { $0.interfaceName == "cell0" })
        XCTAssertFalse(log.filtered("cell0").isEmpty)
        XCTAssertEqual(log.filtered("198.18.1.2:5201").map(\.kind.name), ["announced", "sub_closed"])
        XCTAssertTrue(log.filtered("nothing-like-this").isEmpty)
    }
}
