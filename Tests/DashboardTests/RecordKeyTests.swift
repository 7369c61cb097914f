@testable import Dashboard
@testable import MPTCPKit
@testable import Output
import Foundation
import XCTest

/// The R key: the live dashboard's samples into a recording named in the footer.
final class RecordKeyTests: XCTestCase {
    func testRStartsAndStopsARecordingOfWhatIsShown() throws {
        let dir = NSTemporaryDirectory() + "mptop-rkey-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let clock = DashboardLoopTests.FakeClock()
        let terminal = DashboardLoopTests.ScriptedTerminal([.key(.character("R")), nil, nil, .key(.character("R")), nil, .key(.character("q"))], clock: clock)
        var second = 0
        var rates = RateTracker()
        var live: [String] = []
        var inputs = DashboardInputs(terminal: terminal, sample: {
            var s = Scenario.snapshot(at: second)
            rates.annotate(&s)
            second += 1
            live.append(SnapshotJSON.render(s))
            return s
        }, now: { clock.now }, themes: [.basic])
        let recorder = DashboardRecorder(namespace: "mptop-lab-cli", writerName: "mptop test", directories: [dir])
        inputs.recorder = recorder
        let loop = DashboardLoop(state: DashboardState(header: Scenario.header, width: 1, height: 1), inputs: inputs)
        loop.run()

        let footers = terminal.drawn.map { String($0.text.split(separator: "\n").last ?? "") }
        XCTAssertTrue(footers[1].hasPrefix(" REC \(dir)/mptop-"), footers[1])
        XCTAssertTrue(footers[3].contains("(2 samples"), footers[3])
        XCTAssertTrue(footers[4].contains("recorded 2 samples to \(dir)/mptop-"), footers[4])
        XCTAssertFalse(footers[5].contains("REC "), "stopped: \(footers[5])")
        XCTAssertFalse(recorder.isRecording)

        let files = try FileManager.default.contentsOfDirectory(atPath: dir)
        XCTAssertEqual(files.count, 1)
        let reader = try RecordingReader(path: dir + "/" + files[0])
        XCTAssertEqual(reader.header.namespace, "mptop-lab-cli")
        var replayed: [String] = []
        while let s = try reader.next() { replayed.append(SnapshotJSON.render(s.snapshot)) }
        // The second and third samples were recorded (the first was taken before R); a recording's first sample has no rates.
        XCTAssertEqual(replayed.count, 2)
        XCTAssertEqual(replayed[1], live[2])
    }
}
