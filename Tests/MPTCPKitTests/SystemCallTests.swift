import Foundation
import SystemPackage
import XCTest
@testable import MPTCPKit

/// The system layer: failures arrive as typed values (the `Errno`, the operation, the path) with
/// the one line the command prints, and a signal that interrupts a call does not fail it.
final class SystemCallTests: XCTestCase {
    func testFailedWriteCarriesItsErrnoOperationAndPath() throws {
        let dir = temporaryDirectory("mptop-syscall")
        let path = dir + "/missing/out.prom"
        XCTAssertThrowsError(try AtomicFile.write(Array("x".utf8), to: path)) { error in
            guard let e = error as? SystemCallError else { return XCTFail("\(type(of: error)): \(error)") }
            XCTAssertEqual(e.errno, .noSuchFileOrDirectory)
            XCTAssertEqual(e.operation, .write)
            XCTAssertEqual(e.subject, dir + "/missing/.out.prom.\(getpid()).tmp")
            XCTAssertEqual(e.description, "cannot write \(dir)/missing/.out.prom.\(getpid()).tmp: No such file or directory")
        }
    }

    func testLibraryRefusalsAreNotTheCommandLinesUsageErrors() {
        XCTAssertThrowsError(try AtomicFile.write([], to: "/tmp/")) { error in
            XCTAssertEqual(error as? MPTopError, .invalidRequest("'/tmp/' is a directory, not a file name"))
        }
        XCTAssertThrowsError(try TokenText.parse("xyz")) { error in
            guard case MPTopError.invalidRequest = error else { return XCTFail("\(error)") }
        }
    }

    func testReadErrorKeepsTheErrno() throws {
        // A path through a regular file: ENOTDIR, kept as the value, said as the C library says it.
        XCTAssertThrowsError(try TextFile.read("/proc/self/status/x")) { error in
            guard let e = error as? TextFile.ReadError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.problem, .system(.notDirectory))
            XCTAssertEqual(e.description, "cannot read /proc/self/status/x: Not a directory")
        }
    }

    func testNamespaceCallsAreSaidAsWhatWasDone() {
        // Opening /run/netns/NAME and setns are system calls on files, said as such (they were
        // netlink errors); the lines are the ones mptop printed before.
        XCTAssertEqual(SystemCallError(.open, "/run/netns/lab", .tooManySymbolicLinkLevels).description,
                       "cannot open /run/netns/lab: Too many levels of symbolic links")
        XCTAssertEqual(SystemCallError(.enter, "namespace 'lab'", .permissionDenied).description,
                       "cannot enter namespace 'lab': Permission denied")
        XCTAssertEqual(SystemCallError(.returnTo, "the original network namespace", .badFileDescriptor).description,
                       "cannot return to the original network namespace: Bad file descriptor")
    }

    /// A signal that arrives while a call waits makes the kernel return EINTR (no SA_RESTART
    /// here): the wrapped calls retry (read, the *at calls) or report "nothing ready" (poll).
    func testInterruptedCallsAreRetriedNotFailed() throws {
        var old = sigaction()
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0 // no SA_RESTART: a blocked read returns EINTR
        sigaction(SIGALRM, &action, &old)
        defer { sigaction(SIGALRM, &old, nil) }

        let pipe = try FileDescriptor.pipe()
        defer { try? pipe.readEnd.close(); try? pipe.writeEnd.close() }
        var fds = [Poll.entry(pipe.readEnd, POLLIN)]
        var timer = itimerval(it_interval: timeval(), it_value: timeval(tv_sec: 0, tv_usec: 50_000))
        setitimer(__itimer_which_t(ITIMER_REAL.rawValue), &timer, nil)
        let started = Date()
        XCTAssertEqual(try Poll.wait(&fds, milliseconds: 2000), 0, "an interrupted poll is no error")
        XCTAssertLessThan(Date().timeIntervalSince(started), 1.5, "the signal woke it")

        // The read blocks; the signal interrupts it at 50 ms, the byte comes at 300 ms.
        let writer = pipe.writeEnd
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { _ = try? writer.writeAll([42]) }
        setitimer(__itimer_which_t(ITIMER_REAL.rawValue), &timer, nil)
        var byte: UInt8 = 0
        let n = try retryingInterrupts { read(pipe.readEnd.rawValue, &byte, 1) }
        XCTAssertEqual(n, 1)
        XCTAssertEqual(byte, 42)
    }
}
