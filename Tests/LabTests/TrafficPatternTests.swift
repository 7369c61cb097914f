import LabKit
import XCTest

/// The traffic pattern and its verifier, without a kernel: any change to the bytes is caught,
/// however the stream is split into reads.
final class TrafficPatternTests: XCTestCase {
    private func stream(seed: UInt64, count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { TrafficPattern.fill($0, streamOffset: 0, seed: seed) }
        return bytes
    }

    private func verify(_ bytes: [UInt8], chunk: Int) -> PatternVerifier {
        var verifier = PatternVerifier()
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + chunk)
            bytes[offset..<end].withUnsafeBytes { verifier.consume($0) }
            offset = end
        }
        verifier.finish()
        return verifier
    }

    func testFillAtAnyOffsetMatchesOneLongFill() {
        let whole = stream(seed: 42, count: 1000)
        for start in [0, 1, 7, 15, 16, 17, 23, 24, 500] {
            for length in [0, 1, 5, 8, 9, 63] where start + length <= whole.count {
                var part = [UInt8](repeating: 0, count: length)
                part.withUnsafeMutableBytes { TrafficPattern.fill($0, streamOffset: UInt64(start), seed: 42) }
                XCTAssertEqual(part, Array(whole[start..<(start + length)]), "start \(start) length \(length)")
            }
        }
        XCTAssertEqual(Array(whole[0..<16]), TrafficPattern.header(seed: 42))
        XCTAssertNotEqual(stream(seed: 43, count: 1000), whole)
    }

    func testIntactStreamPassesWhateverTheReadSizes() {
        let bytes = stream(seed: 7, count: 100_003)
        for chunk in [1, 3, 8, 17, 4096, 65536, 200_000] {
            let verifier = verify(bytes, chunk: chunk)
            XCTAssertTrue(verifier.intact, "chunk \(chunk): \(verifier.problem ?? "")")
            XCTAssertEqual(verifier.bytesReceived, 100_003)
        }
    }

    func testCorruptionLossDuplicationAndReorderingAreCaught() {
        let good = stream(seed: 9, count: 10_000)
        var flipped = good; flipped[5_001] ^= 0x01
        var lost = good; lost.remove(at: 3_000)
        var duplicated = good; duplicated.insert(good[3_000], at: 3_000)
        var reordered = good; reordered.swapAt(4_000, 4_100)
        var otherConnection = good; otherConnection.replaceSubrange(8_000..<8_100, with: stream(seed: 10, count: 8_100)[8_000..<8_100])
        for (name, bytes) in [("flipped", flipped), ("lost", lost), ("duplicated", duplicated),
                              ("reordered", reordered), ("other connection", otherConnection)] {
            let verifier = verify(bytes, chunk: 1_000)
            XCTAssertFalse(verifier.intact, name)
        }
        XCTAssertEqual(verify(flipped, chunk: 1_000).problem, "wrong byte at stream offset 5001")
    }

    /// The first wrong byte says enough to tell a reader's slip from bytes delivered wrong:
    /// where it is, what was expected and received, where in which read, and whether the bytes
    /// there are the pattern's from elsewhere (lost or repeated data) or no pattern at all.
    func testMismatchSaysWhatWasExpectedAndWhatArrived() throws {
        let good = stream(seed: 9, count: 10_000)
        var flipped = good; flipped[5_001] ^= 0x01
        let verifier = verify(flipped, chunk: 1_000)
        XCTAssertEqual(verifier.mismatch, PatternMismatch(streamOffset: 5_001, expected: good[5_001], received: good[5_001] ^ 0x01,
                                                          readOffset: 5_000, readLength: 1_000, compared: 999, differing: 1, foundAt: nil))
        let hex = { (byte: UInt8) in (byte < 16 ? "0" : "") + String(byte, radix: 16) }
        XCTAssertEqual(verifier.diagnosis, "wrong byte at stream offset 5001: expected 0x\(hex(good[5_001])), got 0x\(hex(good[5_001] ^ 0x01))"
            + "; 1 of the 999 bytes from there differ; in a read of 1000 bytes at stream offset 5000"
            + "; the bytes received there are not the pattern's within 1 MiB")

        var lost = good; lost.removeSubrange(3_000..<3_100)
        let missing = try XCTUnwrap(verify(lost, chunk: 4_096).mismatch)
        XCTAssertEqual(missing.streamOffset, 3_000)
        XCTAssertEqual(missing.foundAt, 3_100)
        XCTAssertTrue(missing.description.hasSuffix("the bytes received there are the pattern's at offset 3100 (100 bytes missing)"), missing.description)

        var repeated = good; repeated.insert(contentsOf: good[2_000..<3_000], at: 3_000)
        let again = try XCTUnwrap(verify(repeated, chunk: 4_096).mismatch)
        XCTAssertEqual(again.streamOffset, 3_000)
        XCTAssertEqual(again.foundAt, 2_000)
        XCTAssertTrue(again.description.hasSuffix("(1000 bytes repeated)"), again.description)

        // A zeroed block that starts in the middle of a read (the header was the read's start).
        var zeroed = good; zeroed.replaceSubrange(100..<200, with: repeatElement(0, count: 100))
        let hole = try XCTUnwrap(verify(zeroed, chunk: 4_096).mismatch)
        XCTAssertEqual(hole.readOffset, 16, "the part of the first read after the header")
        XCTAssertEqual(hole.received, 0)
        XCTAssertNil(hole.foundAt)
        XCTAssertGreaterThan(hole.differing, 90)
    }

    /// A stream whose bytes came out of order says which sent bytes arrived where: the
    /// evidence that they were reordered rather than lost (what a kernel report needs).
    func testReorderedStreamIsMappedPieceByPiece() throws {
        let good = stream(seed: 11, count: 200_000)
        let reordered = Array(good[0..<65_160] + good[88_752..<95_000] + good[65_160..<88_752] + good[95_000...])
        for chunk in [1_000, 6_104, 65_536] {
            let verifier = verify(reordered, chunk: chunk)
            XCTAssertEqual(verifier.mismatch?.streamOffset, 65_160, "reads of \(chunk)")
            XCTAssertEqual(verifier.delivered, [DeliveredPiece(receivedAt: 0, sentAt: 0, length: 65_160),
                                                DeliveredPiece(receivedAt: 65_160, sentAt: 88_752, length: 6_248),
                                                DeliveredPiece(receivedAt: 71_408, sentAt: 65_160, length: 23_592),
                                                DeliveredPiece(receivedAt: 95_000, sentAt: 95_000)], "reads of \(chunk)")
            XCTAssertTrue(verifier.diagnosis?.hasSuffix("; received in this order, as sent stream offsets: "
                + "[0, 65160) [88752, 95000) [65160, 88752) [95000, ...)") == true, verifier.diagnosis ?? "")
        }
        // Bytes that are nobody's: the map stops there and says so.
        var zeroed = reordered; zeroed.replaceSubrange(100_000..<100_100, with: repeatElement(0, count: 100))
        XCTAssertTrue(verify(zeroed, chunk: 4_096).diagnosis?.hasSuffix("[95000, 100000) then not followed further") == true)
    }

    /// Reads of any sizes in any sequence (as a busy receiver gets them: a byte, a partial word,
    /// 256 KiB) keep an intact stream intact, and a flipped byte is found exactly where it is.
    func testRandomReadSizesNeverMisjudgeTheStream() {
        var random = SystemRandomNumberGenerator()
        let bytes = stream(seed: 0xC0FFEE, count: 3 << 20)
        for round in 0..<6 {
            var flipped = bytes
            let at = Int.random(in: 16..<bytes.count, using: &random)
            if round % 2 == 1 { flipped[at] ^= UInt8.random(in: 1...255, using: &random) }
            var verifier = PatternVerifier()
            var offset = 0
            var sizes: [Int] = []
            while offset < flipped.count {
                let size = [Int.random(in: 1...9, using: &random), Int.random(in: 1...4096, using: &random),
                            Int.random(in: 1...(256 << 10), using: &random)].randomElement(using: &random)!
                let end = min(flipped.count, offset + size)
                flipped[offset..<end].withUnsafeBytes { verifier.consume($0) }
                sizes.append(end - offset)
                offset = end
            }
            verifier.finish()
            let reads = "\(sizes.count) reads: \(sizes.prefix(40))..."
            if round % 2 == 1 {
                XCTAssertEqual(verifier.mismatch?.streamOffset, UInt64(at), reads)
                XCTAssertEqual(verifier.mismatch?.received, flipped[at], reads)
                XCTAssertEqual(verifier.mismatch?.expected, bytes[at], reads)
            } else {
                XCTAssertTrue(verifier.intact, "\(verifier.diagnosis ?? ""); \(reads)")
            }
            XCTAssertEqual(verifier.bytesReceived, UInt64(bytes.count))
        }
    }

    /// A sender killed mid-write leaves a stream that is short, not wrong: cut anywhere after its
    /// header (mid-word included) it is intact, with every byte that came counted.
    func testStreamCutAnywhereAfterItsHeaderIsShortNotCorrupted() {
        let bytes = stream(seed: 5, count: 70_000)
        for cut in [16, 17, 23, 24, 31, 4_097, 65_536, 65_537, 69_999] {
            for chunk in [1, 7, 65_536] {
                let verifier = verify(Array(bytes[0..<cut]), chunk: chunk)
                XCTAssertTrue(verifier.intact, "cut at \(cut), reads of \(chunk): \(verifier.diagnosis ?? "")")
                XCTAssertEqual(verifier.bytesReceived, UInt64(cut))
            }
        }
    }

    func testHeaderProblems() {
        XCTAssertTrue(verify([], chunk: 1).intact, "an empty stream is intact")
        XCTAssertFalse(verify(Array(stream(seed: 1, count: 10)), chunk: 4).intact, "cut inside the header")
        XCTAssertFalse(verify(Array(repeating: 0x41, count: 64), chunk: 64).intact, "not our traffic")
        XCTAssertEqual(TrafficPattern.seed(fromHeader: TrafficPattern.header(seed: 0xDEAD_BEEF)), 0xDEAD_BEEF)
    }

    func testEndpointParsing() throws {
        XCTAssertEqual(try TrafficEndpoint(parsing: "198.18.0.1:5201").description, "198.18.0.1:5201")
        let v6 = try TrafficEndpoint(parsing: "[2001:db8:0::1]:80")
        XCTAssertEqual(v6.description, "[2001:db8::1]:80")
        XCTAssertEqual(v6.family, AF_INET6)
        for bad in ["198.18.0.1", "198.18.0.1:99999", "2001:db8::1:80", "[2001:db8::1]", "host:80", "[1.2.3.4]:5", ""] {
            XCTAssertThrowsError(try TrafficEndpoint(parsing: bad), bad) { error in
                XCTAssertEqual((error as? LabError)?.kind, .usage, bad)
            }
        }
    }
}
