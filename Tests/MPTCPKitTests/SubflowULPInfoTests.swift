import XCTest
@testable import MPTCPKit

/// The ULP decode stops its walk once the five attributes mptop uses are read; whatever order
/// the kernel puts them in, and whatever comes around them, they decode as before.
final class SubflowULPInfoTests: XCTestCase {
    private func attribute(_ type: UInt16, _ payload: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        withUnsafeBytes(of: UInt16(4 + payload.count)) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: type) { out.append(contentsOf: $0) }
        out += payload
        while out.count % 4 != 0 { out.append(0) }
        return out
    }

    private func u32(_ v: UInt32) -> [UInt8] { withUnsafeBytes(of: v) { Array($0) } }

    private func decode(_ subflowAttributes: [[UInt8]], name: String = "mptcp") -> SubflowULPInfo {
        let bytes = attribute(1, Array(name.utf8) + [0]) + attribute(3 | 0x8000, subflowAttributes.flatMap { $0 })
        return bytes.withUnsafeBytes { SubflowULPInfo(ByteView($0)) }
    }

    private var used: [[UInt8]] {
        [attribute(1, u32(0x1111)), attribute(2, u32(0x2222)), attribute(8, u32(0b10_0100)), attribute(9, [3]), attribute(10, [4])]
    }

    /// Sequence numbers, pad and an unknown attribute, privileged-dump style.
    private var others: [[UInt8]] {
        [attribute(3, u32(7)), attribute(11, []), attribute(4, u32(8) + u32(0)), attribute(5, u32(9)), attribute(6, u32(10)),
         attribute(7, [1, 0]), attribute(12, u32(99))]
    }

    private func assertUsedFields(_ u: SubflowULPInfo, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(u.name, "mptcp", file: file, line: line)
        XCTAssertEqual(u.tokenRemote, 0x1111, file: file, line: line)
        XCTAssertEqual(u.tokenLocal, 0x2222, file: file, line: line)
        XCTAssertEqual(u.flags, 0b10_0100, file: file, line: line)
        XCTAssertEqual(u.remoteID, 3, file: file, line: line)
        XCTAssertEqual(u.localID, 4, file: file, line: line)
    }

    func testUsedAttributesFirstThenSequenceNumbers() {
        assertUsedFields(decode(used + others))
    }

    func testSequenceNumbersFirstThenUsedAttributes() {
        assertUsedFields(decode(others + used))
    }

    func testUsedAttributesInterleavedAndReversed() {
        let u = used, o = others
        assertUsedFields(decode([o[0], u[4], o[1], u[3], o[2], o[3], u[2], u[1], o[4], o[5], o[6], u[0]]))
    }

    /// Unprivileged before 6.15 and listeners: some or none of them; the rest stay nil.
    func testMissingAttributesStayNil() {
        let u = decode([used[1], used[3]])
        XCTAssertEqual(u.tokenLocal, 0x2222)
        XCTAssertEqual(u.remoteID, 3)
        XCTAssertNil(u.tokenRemote)
        XCTAssertNil(u.flags)
        XCTAssertNil(u.localID)
    }

    /// A truncated attribute ends the walk; what came before it is kept.
    func testTruncatedAttributeKeepsWhatCameBefore() {
        var broken = attribute(8, u32(5))
        broken[0] = 40 // claims more than the nest holds
        let u = decode([used[0], used[1], broken])
        XCTAssertEqual(u.tokenRemote, 0x1111)
        XCTAssertEqual(u.tokenLocal, 0x2222)
        XCTAssertNil(u.flags)
        XCTAssertNil(u.localID)
    }

    /// A payload too short for its field reads as absent.
    func testShortPayloadIsAbsent() {
        let u = decode([attribute(2, [1, 2])])
        XCTAssertNil(u.tokenLocal)
    }

    func testOtherULPName() {
        let u = decode([], name: "tls")
        XCTAssertEqual(u.name, "tls")
        XCTAssertFalse(u.isMPTCP)
    }

    /// The usual congestion-control names come back as literals; every other name, a longer
    /// name starting with one of them, or one without its NUL decode as before.
    func testCongestionNames() {
        for bytes: [UInt8] in [Array("cubic".utf8) + [0], Array("bbr".utf8) + [0], Array("reno".utf8) + [0], Array("bbr".utf8),
                               Array("bbr2".utf8) + [0], Array("cubicx".utf8), Array("westwood".utf8) + [0], Array("ren".utf8) + [0],
                               [], [0], Array("bbr".utf8) + [0, 0x41]] {
            bytes.withUnsafeBytes { raw in
                let v = ByteView(raw)
                XCTAssertEqual(SockDiagDecoder.congestionName(v), v.cString(), "\(bytes)")
            }
        }
    }
}
