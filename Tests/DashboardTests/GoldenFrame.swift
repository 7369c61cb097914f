import Dashboard
import Foundation
import XCTest

/// Compares a rendered grid with a text file under Snapshots/. `RECORD_SNAPSHOTS=1 swift test`
/// writes the files instead (then read the diff before committing them).
func assertGoldenFrame(_ grid: CellGrid, named name: String, file: StaticString = #filePath, line: UInt = #line) {
    let url = URL(fileURLWithPath: "\(file)").deletingLastPathComponent().appendingPathComponent("Snapshots/\(name).txt")
    let actual = grid.text + "\n"
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? actual.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        XCTFail("no golden frame \(url.path); record it with RECORD_SNAPSHOTS=1 swift test", file: file, line: line)
        return
    }
    if expected != actual {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let first = Array(zip(e, a)).firstIndex { $0.0 != $0.1 } ?? min(e.count, a.count)
        XCTFail("""
            frame '\(name)' differs from \(url.lastPathComponent) at line \(first + 1):
            expected: \(first < e.count ? String(e[first]) : "<end>")
            actual:   \(first < a.count ? String(a[first]) : "<end>")
            --- actual frame ---
            \(actual)
            """, file: file, line: line)
    }
}
