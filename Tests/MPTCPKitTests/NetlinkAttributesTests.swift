import XCTest
@testable import MPTCPKit

/// The attribute walk reads headers and payloads from pointers; its edges stay where they were.
final class NetlinkAttributesTests: XCTestCase {
    private func attribute(type: UInt16, payload: [UInt8], padded: Bool = true) -> [UInt8] {
        var out: [UInt8] = []
        withUnsafeBytes(of: UInt16(4 + payload.count)) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: type) { out.append(contentsOf: $0) }
        out += payload
        while padded && out.count % 4 != 0 { out.append(0xee) }
        return out
    }

    private func walk(_ bytes: [UInt8]) -> (attributes: [(UInt16, [UInt8])], malformed: Bool) {
        bytes.withUnsafeBytes { raw in
            var it = NetlinkAttributes(ByteView(raw))
            var seen: [(UInt16, [UInt8])] = []
            while let a = it.next() { seen.append((a.type, Array(a.payload.base))) }
            return (seen, it.malformed)
        }
    }

    func testPaddedPayloadsFlagsMaskedAndAnUnpaddedLastOne() {
        let bytes = attribute(type: 1, payload: [1, 2, 3]) + attribute(type: 0x8003, payload: []) // NESTED flag
            + attribute(type: 2, payload: [9, 8, 7, 6, 5]) + attribute(type: 4, payload: [7], padded: false)
        let w = walk(bytes)
        XCTAssertEqual(w.attributes.map(\.0), [1, 3, 2, 4])
        XCTAssertEqual(w.attributes.map(\.1), [[1, 2, 3], [], [9, 8, 7, 6, 5], [7]], "padding is not payload")
        XCTAssertFalse(w.malformed, "the last attribute may end unpadded at the end")
    }

    func testTrailingBytesShorterThanAHeaderAreMalformed() {
        for extra in 1...3 {
            let w = walk(attribute(type: 1, payload: [1, 2, 3, 4]) + [UInt8](repeating: 0, count: extra))
            XCTAssertEqual(w.attributes.count, 1)
            XCTAssertTrue(w.malformed, "\(extra) trailing bytes")
        }
        XCTAssertFalse(walk([]).malformed)
        XCTAssertTrue(walk([]).attributes.isEmpty)
    }

    func testALengthRunningOnePastTheEndStopsThere() {
        var bytes = attribute(type: 1, payload: [1, 2, 3, 4]) + attribute(type: 2, payload: [5, 6, 7, 8])
        bytes[8] = 13 // second attribute claims 13 bytes where 8 remain
        let w = walk(bytes)
        XCTAssertEqual(w.attributes.map(\.0), [1])
        XCTAssertTrue(w.malformed)
    }
}
