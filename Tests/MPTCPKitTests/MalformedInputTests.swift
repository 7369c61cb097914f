import TestSupport
import XCTest
@testable import MPTCPKit

/// Truncated, corrupted and random bytes must never trap: they decode to fewer facts.
final class MalformedInputTests: XCTestCase {
    private func decodeAll(_ bytes: [UInt8]) -> Int {
        var n = 0
        bytes.withUnsafeBytes { raw in
            var it = NetlinkMessages(ByteView(raw))
            while let m = it.next() {
                if SockDiagDecoder.mptcpSocket(m.payload) != nil { n += 1 }
                if SockDiagDecoder.subflow(m.payload, isMPTCPInode: { _ in true }) != nil { n += 1 }
            }
        }
        return n
    }

    private func captured() throws -> [UInt8] {
        var all: [UInt8] = []
        for side in ["client618", "server618"] {
            for dump in ["mptcp-ipv4", "mptcp-ipv6", "tcp-ipv4", "tcp-ipv6"] {
                all += try Data(contentsOf: Fixture.directory.appendingPathComponent("\(side)/\(dump).nl"))
            }
        }
        return all
    }

    func testEveryTruncationOfARealDump() throws {
        let bytes = try captured()
        for cut in 0..<bytes.count { _ = decodeAll(Array(bytes[0..<cut])) }
    }

    func testMessageHeaderClaimingMoreThanTheDatagram() {
        var bytes = [UInt8](repeating: 0, count: 32)
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: UInt32(4096), as: UInt32.self) }
        bytes.withUnsafeBytes { raw in
            var it = NetlinkMessages(ByteView(raw))
            XCTAssertNil(it.next())
            XCTAssertTrue(it.malformed)
        }
    }

    func testAttributeLengthsShorterThanHeaderOrPastTheEnd() {
        for len: UInt16 in [0, 1, 3, 200] {
            var bytes: [UInt8] = []
            withUnsafeBytes(of: len) { bytes.append(contentsOf: $0) }
            bytes += [2, 0, 1, 2, 3, 4]
            bytes.withUnsafeBytes { raw in
                var it = NetlinkAttributes(ByteView(raw))
                XCTAssertNil(it.next(), "nla_len \(len)")
                XCTAssertTrue(it.malformed)
            }
        }
    }

    func testShortPayloadIsNotASocket() {
        let bytes = [UInt8](repeating: 2, count: 71)
        bytes.withUnsafeBytes { XCTAssertNil(InetDiagMessage(ByteView($0))) }
    }

    func testUnknownFamilyIsNotASocket() {
        var bytes = [UInt8](repeating: 0, count: 72)
        bytes[0] = 1 // AF_UNIX
        bytes.withUnsafeBytes { XCTAssertNil(InetDiagMessage(ByteView($0))) }
    }

    /// Random corruption of real messages (a fixed seed, so a failure can be replayed).
    func testRandomCorruptionNeverTraps() throws {
        let original = try captured()
        var rng = SplitMix64(seed: 0x6d70_746f_70)
        for _ in 0..<3000 {
            var b = original
            for _ in 0..<(1 + Int(rng.next() % 8)) {
                b[Int(rng.next() % UInt64(b.count))] = UInt8(truncatingIfNeeded: rng.next())
            }
            _ = decodeAll(b)
        }
        for _ in 0..<500 {
            let n = Int(rng.next() % 600)
            _ = decodeAll((0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
        }
    }
}
