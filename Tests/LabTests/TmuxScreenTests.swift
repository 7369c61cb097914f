import Foundation
import LabKit
import XCTest

/// The tmux harness itself: screens of parallel tests (and of other developers' runs on the
/// same machine, all root) must not share a tmux server. A shared server exits when its last
/// session is closed, and a `new-session` that reaches it meanwhile fails with "server exited
/// unexpectedly": the demo test's flake.
final class TmuxScreenTests: XCTestCase {
    func testScreensOpenedAndClosedInParallelNeverLoseTheirServer() throws {
        guard ShellCommand.locate("tmux") != nil else { throw XCTSkip("tmux is not installed (apt install tmux)") }
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            for _ in 0..<40 {
                do {
                    let screen = try TmuxScreen(["sleep", "30"], width: 80, height: 24)
                    screen.close()
                } catch {
                    failures.add("worker \(worker): \(error)")
                }
            }
        }
        XCTAssertEqual(failures.all, [])
    }

    /// Errors collected from parallel workers.
    private final class Failures: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [String] = []
        func add(_ s: String) { lock.lock(); list.append(s); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return list }
    }
}
