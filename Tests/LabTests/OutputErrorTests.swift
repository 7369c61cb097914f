import Foundation
import LabKit
import XCTest

/// A report mptop cannot write (the pipe's reader is gone, the disk is full, stdout is closed)
/// ends the command with one line on stderr and exit 1, after cleaning up; it never runs on for
/// a reader that is not there.
final class OutputErrorTests: XCTestCase {
    func testFullDiskIsOneLineErrorForEveryReport() throws {
        let lab = try makeLab()
        for command in [["--once", "--interval", "0"], ["--once", "--json", "--interval", "0"], ["diagnose"], ["diagnose", "--json"]] {
            let out = try shell(#"mptop "$@" --netns "$NS" >/dev/full"#, command, namespace: lab.clientNamespace)
            XCTAssertEqual(out.status, 1, "\(command): \(out.stderr)")
            XCTAssertEqual(out.stderr, "mptop: cannot write to stdout: No space left on device\n", "\(command)")
        }
    }

    func testClosedStdoutIsOneLineErrorNotASocketsSlot() throws {
        let lab = try makeLab()
        // Before: descriptor 1 became the netlink socket and the JSON went to the kernel, forever.
        let out = try shell(#"mptop --json --interval 0.2 --netns "$NS" >&-"#, [], namespace: lab.clientNamespace)
        XCTAssertEqual(out.status, 1, out.stderr)
        XCTAssertEqual(out.stderr, "mptop: cannot write to stdout: Bad file descriptor\n")
    }

    func testJSONStreamNoticesAGoneReaderBeforeItsNextSample() throws {
        let lab = try makeLab()
        let started = Date()
        let out = try shell(#"mptop --json --interval 10 --netns "$NS" | head -1 >/dev/null; exit "${PIPESTATUS[0]}""#, [],
                            namespace: lab.clientNamespace)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "waited for the next sample to fail")
        XCTAssertEqual(out.status, 1, out.stderr)
        XCTAssertEqual(out.stderr, "mptop: cannot write to stdout: Broken pipe\n")
    }

    func testEventsStreamEndsWithAnErrorWhenItsReaderGoes() throws {
        let lab = try makeLab()
        // No event is due: the gone reader is noticed between batches, not at a write.
        let out = try shell(#"mptop events --netns "$NS" | true; exit "${PIPESTATUS[0]}""#, [], namespace: lab.clientNamespace)
        XCTAssertEqual(out.status, 1, out.stderr)
        XCTAssertEqual(out.stderr.split(separator: "\n").last, "mptop: cannot write to stdout: Broken pipe", out.stderr)
    }

    func testTrafficServerEndsWhenItCannotReport() throws {
        let lab = try makeLab()
        let out = try shell(#"mptop_in "$NS" traffic serve --listen 127.0.0.1:0 --json | true; exit "${PIPESTATUS[0]}""#, [],
                            namespace: lab.serverNamespace)
        XCTAssertEqual(out.status, 1, out.stderr)
        XCTAssertEqual(out.stderr, "mptop: cannot write to stdout: Broken pipe\n")
    }

    func testFailoverRestoresEverythingBeforeItEndsOnAGoneReader() throws {
        try skipUnlessNftables()
        let lab = try makeLab()
        let session = try TrafficSession(lab: lab, sendArguments: ["--rate", "8M"])
        _ = try session.waitForSubflows(2)
        let (token, _) = try onlyConnection(in: lab.clientNamespace)
        let state = try namespaceState(lab, lab.clientNamespace)
        let journals = try makeJournalDirectory()

        // The text progress goes to stdout; its reader leaves once wifi0 is blackholed.
        let out = try shell(#"export MPTOP_JOURNAL_DIR="$1"; mptop failover --token "$2" --interface wifi0 --mode blackhole "#
                            + #"--duration 60 --baseline 0.3 --yes --netns "$NS" | grep -q -m1 blackholed; exit "${PIPESTATUS[0]}""#,
                            [journals, token], namespace: lab.clientNamespace)
        XCTAssertEqual(out.status, 1, out.stderr)
        XCTAssertEqual(out.stderr, "mptop: cannot write to stdout: Broken pipe\n")
        XCTAssertEqual(try namespaceState(lab, lab.clientNamespace), state, "the blackhole must be gone")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: journals), [], "a restored run leaves no journal")
        try assertTransferIntact(session)
    }

    func testDemoStreamRemovesItsLabWhenItsReaderGoes() throws {
        try skipUnlessLabAvailable()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try mptopPath())
        process.arguments = ["demo", "--json", "--interval", "10"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try? out.fileHandleForWriting.close()
        try? err.fileHandleForWriting.close()
        defer { if process.isRunning { kill(process.processIdentifier, SIGTERM); process.waitUntilExit() } }

        let line = try XCTUnwrap(Self.firstLine(out.fileHandleForReading.fileDescriptor, timeout: 30), "no snapshot from the demo")
        let client = try XCTUnwrap(JSONObject(parsing: line).string("namespace"))
        let namespaces = [client, String(client.dropLast(4)) + "-srv"]
        let traffic = try namespaces.flatMap { try ShellCommand.check("ip", ["netns", "pids", $0]).split(separator: "\n").compactMap { Int32($0) } }
            .filter { $0 != process.processIdentifier }
        XCTAssertFalse(traffic.isEmpty, "the demo's traffic processes")

        let closed = Date()
        try out.fileHandleForReading.close()
        XCTAssertTrue(waitUntil(timeout: 5) { !process.isRunning }, "the demo kept running with nobody reading")
        XCTAssertLessThan(Date().timeIntervalSince(closed), 5)
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 1)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(stderr.split(separator: "\n").filter { $0.hasPrefix("mptop:") }, ["mptop: cannot write to stdout: Broken pipe"], stderr)
        let left = try ShellCommand.check("ip", ["netns", "list"])
        for namespace in namespaces { XCTAssertFalse(left.contains(namespace), "\(namespace) left behind") }
        for pid in traffic { XCTAssertFalse(Self.isAlive(pid), "traffic process \(pid) left running") }
    }

    func testKilledDemoTakesItsTrafficProcessesAlong() throws {
        try skipUnlessLabAvailable()
        // SIGKILL leaves the namespaces (the next run's cleanupStale removes them), but the
        // traffic must not keep streaming in them meanwhile: both notice that the demo's end
        // of their stdout pipe is gone (the sender may wait on a full send buffer to a peer
        // that will never reset it).
        addTeardownBlock { Lab.cleanupStale() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try mptopPath())
        process.arguments = ["demo", "--json"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try? out.fileHandleForWriting.close()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() } }
        let line = try XCTUnwrap(Self.firstLine(out.fileHandleForReading.fileDescriptor, timeout: 30), "no snapshot from the demo")
        let client = try XCTUnwrap(JSONObject(parsing: line).string("namespace"))
        let traffic = try [client, String(client.dropLast(4)) + "-srv"]
            .flatMap { try ShellCommand.check("ip", ["netns", "pids", $0]).split(separator: "\n").compactMap { Int32($0) } }
            .filter { $0 != process.processIdentifier }
        XCTAssertEqual(traffic.count, 2, "the demo's server and sender")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertTrue(waitUntil(timeout: 5) { !traffic.contains(where: Self.isAlive) }, "traffic processes outlived the demo")
    }

    /// Runs `script` with bash: `mptop` and `mptop_in NS` run mptop (killed after 12 s, so a
    /// mptop that never ends fails the test instead of hanging it), "$@" are the arguments,
    /// $NS the namespace.
    private func shell(_ script: String, _ arguments: [String], namespace: String) throws -> ShellCommand.Output {
        let functions = #"mptop() { timeout -s KILL 12 "$MPTOP" "$@"; }; "#
            + #"mptop_in() { timeout -s KILL 12 ip netns exec "$1" "$MPTOP" "${@:2}"; }; "#
        let out = try ShellCommand.run("env", ["NS=\(namespace)", "MPTOP=\(try mptopPath())", "bash", "-c", functions + script, "bash"]
                                       + arguments, timeout: 15)
        XCTAssertFalse(out.timedOut, "\(script) ran past 15 s")
        return out
    }

    /// The first line read from `fd` within `timeout` seconds.
    static func firstLine(_ fd: Int32, timeout: TimeInterval) -> String? {
        var bytes: [UInt8] = []
        let deadline = Date(timeIntervalSinceNow: timeout)
        var byte: UInt8 = 0
        while Date() < deadline {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 100) >= 0 else { return nil }
            if p.revents == 0 { continue }
            guard read(fd, &byte, 1) == 1 else { return nil }
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
        return nil
    }

    /// Whether `pid` is a running process (a zombie waiting to be reaped counts as gone).
    static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return !stat[stat.index(after: close)...].hasPrefix(" Z")
    }
}
