import Foundation
import LabKit
import MPTCPKit
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// `mptop record` ends cleanly on Ctrl-C, a killed one still replays, `mptop demo --record`
/// records the demo, and what is not a good recording is one line.
final class RecordCommandTests: XCTestCase {
    func temporaryDirectory() throws -> String {
        let dir = NSTemporaryDirectory() + "mptop-recordcmd-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    /// Waits until the recording at `path` holds `count` whole samples (read as replay reads
    /// it), so a signal is sent after what the test counts on, however slow the machine.
    func waitForSamples(_ path: String, _ count: Int, timeout: TimeInterval = 20,
                        file: StaticString = #filePath, line: UInt = #line) {
        let deadline = Date(timeIntervalSinceNow: timeout)
        var seen = 0
        repeat {
            seen = 0
            if let reader = try? RecordingReader(path: path) {
                while seen < count, (try? reader.next()) != nil { seen += 1 }
            }
            if seen >= count { return }
            usleep(100_000)
        } while Date() < deadline
        XCTFail("\(path) held \(seen) of \(count) samples after \(Int(timeout)) s", file: file, line: line)
    }

    func replayedLines(_ path: String) throws -> (lines: [String], stderr: String) {
        let out = try runMptop(["replay", path, "--json"])
        XCTAssertEqual(out.status, 0, out.stderr)
        return (out.stdout.split(separator: "\n").map(String.init), out.stderr)
    }

    func testCtrlCEndsARecordingCleanlyAndAKilledOneStillReplays() throws {
        let lab = try makeLab()
        let session = try TrafficSession(lab: lab, connections: 2)
        _ = try session.waitForSubflows(2)
        let dir = try temporaryDirectory()
        let mptop = try mptopPath()

        let interrupted = try lab.spawn(in: lab.clientNamespace, executable: mptop, arguments: ["record", dir + "/int.mptrec", "--interval", "0.25"])
        waitForSamples(dir + "/int.mptrec", 5)
        interrupted.send(signal: SIGINT)
        XCTAssertEqual(interrupted.waitForExit(timeout: 5), 0, interrupted.diagnosis)
        XCTAssertTrue(interrupted.errorOutput.contains("mptop: recorded "), interrupted.errorOutput)
        let (clean, note) = try replayedLines(dir + "/int.mptrec")
        XCTAssertGreaterThanOrEqual(clean.count, 5)
        XCTAssertEqual(note, "", "a recording ended by Ctrl-C is whole")
        XCTAssertTrue(clean.allSatisfy { $0.contains(#""subflows_total":2"#) }, clean.last ?? "")

        let killed = try lab.spawn(in: lab.clientNamespace, executable: mptop, arguments: ["record", dir + "/kill.mptrec", "--interval", "0.25"])
        waitForSamples(dir + "/kill.mptrec", 5)
        killed.send(signal: SIGKILL)
        _ = killed.waitForExit(timeout: 5)
        let (lines, _) = try replayedLines(dir + "/kill.mptrec")
        XCTAssertGreaterThanOrEqual(lines.count, 5, "every sample written before the kill")

        // Cut in the middle of its last record, as a kill during a write leaves it.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/kill.mptrec"))
        try bytes.prefix(bytes.count - 7).write(to: URL(fileURLWithPath: dir + "/cut.mptrec"))
        let (cut, cutNote) = try replayedLines(dir + "/cut.mptrec")
        XCTAssertEqual(cut, Array(lines.dropLast()))
        XCTAssertTrue(cutNote.hasPrefix("mptop: note: \(dir)/cut.mptrec: the recording ends inside a record at byte "), cutNote)
    }

    /// Events ride in the next sample's record: those between the last sample and Ctrl-C are
    /// carried by one more sample at the stop instead of going with it.
    func testEventsBeforeCtrlCAreInTheRecording() throws {
        let lab = try makeLab()
        let session = try TrafficSession(lab: lab, connections: 1)
        _ = try session.waitForSubflows(2)
        let path = try temporaryDirectory() + "/events.mptrec"
        let recording = try lab.spawn(in: lab.clientNamespace, executable: try mptopPath(), arguments: ["record", path, "--interval", "60"])
        waitForSamples(path, 1)  // the first sample is written; the next is a minute away
        // A third path: the running connection opens a subflow on it (SUB_ESTABLISHED).
        try lab.addPath(.wired, bitsPerSecond: nil)
        _ = try session.waitForSubflows(3)
        usleep(500_000)
        recording.send(signal: SIGINT)
        XCTAssertEqual(recording.waitForExit(timeout: 5), 0, recording.diagnosis)

        let reader = try RecordingReader(path: path)
        var samples: [RecordedSample] = []
        while let s = try reader.next() { samples.append(s) }
        XCTAssertEqual(samples.count, 2, "the first sample and the one taken at the stop")
        let kinds = samples.flatMap { $0.events.events.map(\.kind) }
        XCTAssertTrue(kinds.contains(.subflowEstablished), "the new subflow's event: \(kinds)")
        XCTAssertEqual(samples.last?.snapshot.connections.first?.subflows.count, 3)
        _ = try session.finish()
    }

    func testTheDemoRecordsItselfWithRecord() throws {
        try skipUnlessLabAvailable()
        let dir = try temporaryDirectory()
        let screen = try makeScreen([try mptopPath(), "demo", "--interval", "0.5", "--record", dir + "/demo.mptrec"], width: 130, height: 30)
        screen.waitFor(timeout: 20, "the demo recording, named in the footer") {
            $0.contains("DEMO") && $0.contains("REC \(dir)/demo.mptrec") && $0.contains("Mb/s")
        }
        usleep(2_000_000)
        screen.send("q")
        screen.waitFor(timeout: 20, "the demo's exit") { $0.contains("[mptop exited 0]") && $0.contains("recorded ") }
        let (lines, _) = try replayedLines(dir + "/demo.mptrec")
        XCTAssertGreaterThanOrEqual(lines.count, 4)
        XCTAssertTrue(lines.last!.contains(#""name":"wifi0""#) && lines.last!.contains(#""name":"cell0""#), lines.last!)
    }

    func testWhatIsNotAGoodRecordingIsOneLine() throws {
        let dir = try temporaryDirectory()
        try "not a recording\n".write(toFile: dir + "/text", atomically: false, encoding: .utf8)
        var out = try runMptop(["replay", dir + "/text", "--json"])
        XCTAssertEqual(out.status, 1)
        XCTAssertEqual(out.stderr, "mptop: \(dir)/text is not an mptop recording\n")
        out = try runMptop(["replay", dir + "/missing"])
        XCTAssertEqual(out.status, 1)
        XCTAssertEqual(out.stderr, "mptop: cannot read \(dir)/missing: No such file or directory\n")
        out = try runMptop(["replay"])
        XCTAssertEqual(out.status, 2)
        XCTAssertEqual(out.stderr.filter { $0 == "\n" }.count, 1, out.stderr)
        out = try runMptop(["record", dir + "/r.mptrec", "--interval", "0"])
        XCTAssertEqual(out.status, 2)
        XCTAssertEqual(out.stderr, "mptop: --interval takes seconds from 0.1 to 3600 (see 'mptop record --help')\n")
        out = try runMptop(["replay", dir + "/text", "--from", "5", "--to", "2", "--json"])
        XCTAssertEqual(out.status, 2)
        XCTAssertEqual(out.stderr, "mptop: --to is before --from (see 'mptop replay --help')\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/r.mptrec"))
    }
}
