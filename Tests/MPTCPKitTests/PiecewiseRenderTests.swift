import Foundation
@testable import Output
import TestSupport
import XCTest

/// The two-thread renderer writes exactly what one thread would, in order, however the two
/// threads' speeds differ, and a write that fails ends it without a hang.
final class PiecewiseRenderTests: XCTestCase {
    private struct WriteFailed: Error {}

    /// Row `i` rendered as "i;", after a pause of up to `maxPause` µs drawn for that row.
    private func rows(_ range: Range<Int>, into bytes: inout [UInt8], pauses: [UInt32]) {
        for i in range {
            if pauses[i] > 0 { usleep(pauses[i]) }
            bytes.append(contentsOf: "\(i);".utf8)
        }
    }

    func testPiecesAreWrittenInOrderWhicheverThreadIsSlower() {
        var random = SplitMix64(seed: 12)
        for round in 0..<40 {
            let count = Int(random.next() % 60)
            let perPiece = 1 + Int(random.next() % 5)
            // Some rounds slow the even pieces (this thread), some the odd (the helper).
            let pauses = (0..<count).map { i in (i / perPiece) % 2 == round % 2 ? UInt32(random.next() % 300) : 0 }
            var written: [UInt8] = []
            var writes = 0
            PiecewiseRender.write(count: count, rowsPerPiece: perPiece,
                                  render: { self.rows($0, into: &$1, pauses: pauses) }) { piece in
                written += piece
                writes += 1
            }
            let expected = (0..<count).map { "\($0);" }.joined()
            XCTAssertEqual(String(decoding: written, as: UTF8.self), expected, "round \(round): \(count) rows, \(perPiece) a piece")
            XCTAssertEqual(writes, (count + perPiece - 1) / perPiece)
        }
    }

    func testAFailedWriteEndsItAndStopsTheHelper() {
        let pauses = [UInt32](repeating: 0, count: 100)
        var written: [UInt8] = []
        var writes = 0
        XCTAssertThrowsError(try PiecewiseRender.write(count: 100, rowsPerPiece: 1,
                                                       render: { self.rows($0, into: &$1, pauses: pauses) }) { piece in
            writes += 1
            if writes == 4 { throw WriteFailed() }
            written += piece
        }) { XCTAssertTrue($0 is WriteFailed) }
        XCTAssertEqual(String(decoding: written, as: UTF8.self), "0;1;2;")
    }
}
