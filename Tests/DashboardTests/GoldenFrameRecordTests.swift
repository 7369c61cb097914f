import Foundation
import XCTest

/// Recording golden frames (`RECORD_SNAPSHOTS=1`) must never let a test pass.
final class GoldenFrameRecordTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("golden-record-\(getpid())-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func testRecordingWritesTheFrameAndFails() throws {
        let url = directory.appendingPathComponent("Snapshots/frame.txt")
        let failure = try XCTUnwrap(goldenFrameFailure("row 1\n", named: "frame", at: url, record: true))
        XCTAssertTrue(failure.hasPrefix("recorded golden frame 'frame'"), failure)
        XCTAssertTrue(failure.contains("without RECORD_SNAPSHOTS"), failure)
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "row 1\n")
        // Recording again over the same, unchanged frame fails just the same.
        XCTAssertNotNil(goldenFrameFailure("row 1\n", named: "frame", at: url, record: true))
        // And the recorded file then passes a normal run.
        XCTAssertNil(goldenFrameFailure("row 1\n", named: "frame", at: url, record: false))
    }

    func testAWriteErrorWhileRecordingIsAFailure() throws {
        // A regular file where the Snapshots directory should be: nothing can be written.
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try "not a directory".write(to: directory.appendingPathComponent("Snapshots"), atomically: true, encoding: .utf8)
        let url = directory.appendingPathComponent("Snapshots/frame.txt")
        let failure = try XCTUnwrap(goldenFrameFailure("row 1\n", named: "frame", at: url, record: true))
        XCTAssertTrue(failure.hasPrefix("could not record golden frame 'frame'"), failure)
    }

    func testADifferentFrameFailsWithTheFirstDifferentLine() throws {
        let url = directory.appendingPathComponent("frame.txt")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try "a\nb\n".write(to: url, atomically: true, encoding: .utf8)
        XCTAssertNil(goldenFrameFailure("a\nb\n", named: "frame", at: url, record: false))
        let failure = try XCTUnwrap(goldenFrameFailure("a\nc\n", named: "frame", at: url, record: false))
        XCTAssertTrue(failure.contains("at line 2"), failure)
    }
}
