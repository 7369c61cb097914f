import Foundation
import LabKit
import XCTest

/// Files named on the command line are read as root but trusted no further: a FIFO, device or
/// directory is refused at once (no hang in open()), and an error never prints what a file
/// that is not a theme holds. Needs no root and no MPTCP.
final class UntrustedFileTests: XCTestCase {
    private func temporaryPath(_ name: String) -> String {
        let path = NSTemporaryDirectory() + "mptop-\(getpid())-\(name)"
        addTeardownBlock { unlink(path) }
        return path
    }

    func testAThemeThatIsAFIFOOrADirectoryIsRefusedAtOnce() throws {
        let fifo = temporaryPath("fifo.theme")
        XCTAssertEqual(mkfifo(fifo, 0o600), 0, String(cString: strerror(errno)))
        for path in [fifo, "/dev/zero", NSTemporaryDirectory()] {
            let started = Date()
            let output = try runMptop(["--theme", path, "--once", "--interval", "0"], timeout: 5)
            XCTAssertLessThan(Date().timeIntervalSince(started), 2, "\(path): refused without waiting for a writer")
            XCTAssertEqual(output.status, 1, "\(path): \(output.stderr)")
            XCTAssertEqual(output.stderr, "mptop: theme \(path): cannot read it: not a regular file\n")
        }
    }

    func testAThemeErrorDoesNotPrintTheFilesSecrets() throws {
        let path = temporaryPath("shadow")
        try "root:$y$j9T$verysecrethash:19700:0:99999:7:::\ndaemon:*:19700:0:99999:7:::\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let output = try runMptop(["--theme", path, "--once", "--interval", "0"])
        XCTAssertEqual(output.status, 1, output.stderr)
        XCTAssertEqual(output.stderr, "mptop: theme \(path), line 1: expected 'key = value'\n")
        XCTAssertFalse(output.stderr.contains("secret") || output.stdout.contains("secret"))
    }
}
