@testable import MPTCPKit
import Foundation
import XCTest

/// The fuzz corpus starts from real inputs: the journal seeds must be journals the parser
/// accepts (first line the file name, then the text), or the fuzzer starts from nothing.
final class FuzzSeedTests: XCTestCase {
    func testTheJournalSeedsAreJournalsMptopReads() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Fuzz/Seeds/journal").path
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".txt") }
        XCTAssertFalse(files.isEmpty)
        for file in files {
            let input = try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
            let split = input.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
            XCTAssertNoThrow(try JournalEntry(fileName: String(split[0]), text: String(split[1])), file)
        }
    }

    func testTheRecordingSeedsAreRecordingsMptopReadsWhole() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Fuzz/Seeds/recording").path
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".mptrec") }
        XCTAssertEqual(files.count, 2)
        for file in files {
            let reader = try RecordingReader(path: dir + "/" + file)
            var samples = 0
            while try reader.next() != nil { samples += 1 }
            XCTAssertGreaterThan(samples, 5, file)
            XCTAssertNil(reader.truncation, file)
        }
    }
}
