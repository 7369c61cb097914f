@testable import MPTCPKit
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The dumps a sample receives on a thread of its own reach the decoder as they would on one
/// thread: the same messages in the same order, each with its request, errors at the same place,
/// and a socket still usable after a decoder gave up midway. Route dumps, so no root is needed.
final class DumpPipelineTests: XCTestCase {
    /// RTM_GETLINK, RTM_GETADDR and RTM_GETROUTE dumps of every family.
    private static let routeDumps: [NetlinkRequestBuilder] = ([18, 22, 26] as [UInt16]).map { type in
        var request = NetlinkRequestBuilder(type: type, flags: NetlinkConstants.flagRequest | NetlinkConstants.flagDump)
        request.append([UInt8](repeating: 0, count: type == 18 ? 16 : 12)) // ifinfomsg, ifaddrmsg / rtmsg
        return request
    }

    /// A request the route family has no handler for: the kernel answers with an error.
    private static let refused: NetlinkRequestBuilder = {
        var request = NetlinkRequestBuilder(type: 0x3ff, flags: NetlinkConstants.flagRequest | NetlinkConstants.flagDump)
        request.append([UInt8](repeating: 0, count: 16))
        return request
    }()

    private func messages(_ pipeline: NetlinkDumpPipeline, _ requests: [NetlinkRequestBuilder], concurrently: Bool) throws -> [String] {
        var seen: [String] = []
        _ = try pipeline.run(requests, concurrently: concurrently) { dump, m in
            // Without the header's sequence number, which differs from run to run.
            seen.append("\(dump) \(m.type) \(m.payload.count) \(Array(m.payload.base).prefix(8))")
        }
        return seen
    }

    func testTheReceivingThreadHandsOnWhatOneThreadReceives() throws {
        for slots in [1, 16] {
            let pipeline = NetlinkDumpPipeline(socket: try NetlinkSocket(.route), slots: slots)
            let alone = try messages(pipeline, Self.routeDumps, concurrently: false)
            let overlapped = try messages(pipeline, Self.routeDumps, concurrently: true)
            XCTAssertEqual(overlapped, alone, "\(slots) slots")
            XCTAssertTrue(alone.contains { $0.hasPrefix("0 16 ") }, "links (at least lo), from the first dump")
            XCTAssertTrue(alone.contains { $0.hasPrefix("2 24 ") }, "routes (lo's local table at least), from the third")
        }
    }

    func testARefusedDumpThrowsAfterTheMessagesBeforeItAndStopsTheRest() throws {
        for concurrently in [false, true] {
            let pipeline = NetlinkDumpPipeline(socket: try NetlinkSocket(.route), slots: 1)
            var dumps: Set<Int> = []
            XCTAssertThrowsError(try pipeline.run([Self.routeDumps[0], Self.refused, Self.routeDumps[2]], concurrently: concurrently) { dump, _ in
                dumps.insert(dump)
            }) { error in
                guard let failure = error as? NetlinkDumpPipeline.Failure, case MPTopError.netlink(_, let e) = failure.error else {
                    return XCTFail("\(error)")
                }
                XCTAssertEqual(failure.dump, 1)
                XCTAssertGreaterThan(e, 0)
            }
            XCTAssertEqual(dumps, [0], "the links first, nothing of the request after the refused one")
            XCTAssertEqual(try messages(pipeline, Self.routeDumps, concurrently: concurrently).isEmpty, false, "the socket works on")
        }
    }

    func testADecoderThatGivesUpLeavesTheSocketUsable() throws {
        struct GaveUp: Error {}
        let pipeline = NetlinkDumpPipeline(socket: try NetlinkSocket(.route), slots: 1)
        let expected = try messages(pipeline, Self.routeDumps, concurrently: true)
        XCTAssertThrowsError(try pipeline.run(Self.routeDumps) { _, _ in throw GaveUp() }) { error in
            XCTAssertTrue((error as? NetlinkDumpPipeline.Failure)?.error is GaveUp, "\(error)")
        }
        // The receiver read the abandoned dump to its end: a new dump is not refused (EBUSY) and
        // no stale message of the old one is handed on.
        XCTAssertEqual(try messages(pipeline, Self.routeDumps, concurrently: true), expected)
    }

    func testWorkOnAThreadOfItsOwnReturnsItsResult() {
        var ran: [Int] = []
        let here = BackgroundThread(concurrently: false) { ran.append(1); return 2 }
        XCTAssertEqual(ran, [1], "run at once, on this thread")
        XCTAssertEqual(here.wait(), 2)
        let there = BackgroundThread { (0..<1000).reduce(0, +) }
        XCTAssertEqual(there.wait(), 499_500)
        XCTAssertEqual(there.wait(), 499_500, "waiting twice returns the same")
    }
}
