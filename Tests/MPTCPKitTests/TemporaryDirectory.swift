import Foundation
import XCTest

extension XCTestCase {
    /// A fresh directory `PREFIX-PID-RANDOM` in the temporary directory, mode 0700 (what
    /// PrivateDirectory takes as mptop's own), removed when the test ends.
    func temporaryDirectory(_ prefix: String) -> String {
        let dir = NSTemporaryDirectory() + "\(prefix)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        XCTAssertEqual(mkdir(dir, 0o700), 0)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }
}
