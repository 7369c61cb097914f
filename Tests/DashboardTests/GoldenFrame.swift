import Dashboard
import Foundation
import XCTest

/// Compares a rendered grid with a text file under Snapshots/. `RECORD_SNAPSHOTS=1 swift test`
/// writes the files instead and fails every test that recorded (then read the diff, and run
/// the tests again without the variable), so no run can pass by re-recording.
func assertGoldenFrame(_ grid: CellGrid, named name: String, file: StaticString = #filePath, line: UInt = #line) {
    let url = URL(fileURLWithPath: "\(file)").deletingLastPathComponent().appendingPathComponent("Snapshots/\(name).txt")
    let record = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"
    if let failure = goldenFrameFailure(grid.text + "\n", named: name, at: url, record: record) {
        XCTFail(failure, file: file, line: line)
    }
}

/// Why the frame `actual` does not pass against the file at `url`, or nil when it does. When
/// recording, the file is written and the answer is always a failure: that it was recorded, or
/// why it could not be written.
func goldenFrameFailure(_ actual: String, named name: String, at url: URL, record: Bool) -> String? {
    if record {
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
        } catch {
            return "could not record golden frame '\(name)' at \(url.path): \(error)"
        }
        return "recorded golden frame '\(name)' at \(url.path); read the diff, then run the tests again without RECORD_SNAPSHOTS"
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        return "no golden frame \(url.path); record it with RECORD_SNAPSHOTS=1 swift test"
    }
    guard expected != actual else { return nil }
    let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
    let first = Array(zip(e, a)).firstIndex { $0.0 != $0.1 } ?? min(e.count, a.count)
    return """
        frame '\(name)' differs from \(url.lastPathComponent) at line \(first + 1):
        expected: \(first < e.count ? String(e[first]) : "<end>")
        actual:   \(first < a.count ? String(a[first]) : "<end>")
        --- actual frame ---
        \(actual)
        """
}
