@testable import Dashboard
@testable import MPTCPKit
import XCTest

/// The one loop fed from a recording: recorded pace, pause, step, seek, speed, refused actions.
final class ReplayLoopTests: XCTestCase {
    typealias ScriptedTerminal = DashboardLoopTests.ScriptedTerminal
    typealias FakeClock = DashboardLoopTests.FakeClock

    /// A recording in memory: one sample a second for `count` seconds, keyframes every 5.
    final class MemoryRecording: ReplaySource {
        let samples: [RecordedSample]
        var index = 0
        var rewinds: [Double] = []

        init(count: Int) {
            var rates = RateTracker()
            samples = (0..<count).map { i in
                var s = Scenario.snapshot(at: i)
                rates.annotate(&s)
                var setup = PathManagerSetup(namespace: "mptop-lab-cli")
                setup.mptcpEnabled = true
                setup.pathManager = .kernel
                return RecordedSample(snapshot: s, events: PathManagerEventBatch(), counters: nil, counterChanges: nil,
                                      setup: i % 5 == 0 ? setup : nil)
            }
        }

        func next() throws -> RecordedSample? {
            guard index < samples.count else { return nil }
            defer { index += 1 }
            return samples[index]
        }

        func rewind(before time: Double) throws {
            rewinds.append(time)
            let before = samples.lastIndex { $0.snapshot.time < time } ?? 0
            index = before / 5 * 5
        }

        var start: Double { samples.first!.snapshot.time }
        var end: Double { samples.last!.snapshot.time }
    }

    func run(_ script: [InputEvent?], count: Int = 30) -> (DashboardLoop, ScriptedTerminal) {
        let clock = FakeClock()
        let terminal = ScriptedTerminal(script, clock: clock)
        let recording = MemoryRecording(count: count)
        var inputs = DashboardInputs(terminal: terminal, sample: { XCTFail("a replay samples nothing"); throw MPTopError.io("no") },
                                     now: { clock.now }, themes: [.basic])
        inputs.replay = recording
        var header = Scenario.header
        header.canAct = false
        header.readOnlyReason = "replay"
        var state = DashboardState(header: header, width: 1, height: 1)
        state.playback = Playback(start: recording.start, end: recording.end)
        let loop = DashboardLoop(state: state, inputs: inputs)
        loop.run()
        return (loop, terminal)
    }

    func shown(_ loop: DashboardLoop) -> Int { Int((loop.state.snapshot?.time ?? 0) - 1_763_700_000) }

    func testPlaysAtTheRecordedPaceAndStopsAtTheEnd() {
        let (loop, terminal) = run([nil, nil, nil], count: 3)
        XCTAssertEqual(shown(loop), 2)
        XCTAssertEqual(loop.state.samples, 3)
        XCTAssertTrue(loop.state.playback!.paused, "paused at the end")
        XCTAssertEqual(loop.state.message, "end of the recording ({ goes back to the start)")
        let header = terminal.drawn.first!.text.split(separator: "\n")[0]
        XCTAssertTrue(header.contains("REPLAY"), "\(header)")
        XCTAssertTrue(header.contains("0:00 / 0:02"), "\(header)")
    }

    func testPauseHoldsTheSampleAndPlayGoesOn() {
        let (loop, _) = run([nil, .key(.character("p")), nil, nil, nil])
        XCTAssertEqual(shown(loop), 1, "one second played, then nothing while paused")
        XCTAssertTrue(loop.state.playback!.paused)
        XCTAssertTrue(DashboardRenderer.render(loop.state, theme: .basic).text.contains("PAUSED"))
        let (resumed, _) = run([nil, .key(.character("p")), nil, .key(.character("p")), nil, nil])
        XCTAssertEqual(shown(resumed), 3)
    }

    func testStepShowsExactlyTheNextSample() {
        let (loop, _) = run([.key(.character(".")), .key(.character(".")), nil, nil])
        XCTAssertEqual(shown(loop), 2)
        XCTAssertTrue(loop.state.playback!.paused)
    }

    func testSeeksRebuildTheViewAtTheTarget() {
        let (forward, _) = run([.key(.character("]"))])
        XCTAssertEqual(shown(forward), 10)
        XCTAssertEqual(forward.state.history.times.count, 11, "the seconds before the target were replayed quietly")
        XCTAssertNotNil(forward.state.snapshot?.connections.first?.txRate, "with rates")
        XCTAssertEqual(forward.state.message, "at 0:10 / 0:29")
        let (back, _) = run([.key(.character("]")), .key(.character("]")), .key(.character("[")), .key(.character("p"))])
        XCTAssertEqual(shown(back), 10)
        let (end, _) = run([.key(.character("}"))])
        XCTAssertEqual(shown(end), 29)
        XCTAssertTrue(end.state.playback!.paused)
        let (start, _) = run([.key(.character("}")), .key(.character("{"))])
        XCTAssertEqual(shown(start), 0)
        XCTAssertEqual(start.state.samples, 1, "nothing before the start")
    }

    func testSpeedPlaysMoreSamplesPerSecond() {
        let (loop, _) = run([.key(.character("+")), nil, nil])
        XCTAssertEqual(loop.state.playback!.speed, 2)
        XCTAssertEqual(shown(loop), 2, "each wait is half a second at twice the speed")
        let (slow, _) = run([.key(.character("-")), nil, nil])
        XCTAssertEqual(slow.state.playback!.speed, 0.5)
    }

    func testActionsAndRecordingAreRefusedInWords() {
        let (loop, _) = run([.key(.character("x"))])
        XCTAssertEqual(loop.state.message, "read-only: a replay has nothing live to act on")
        let (again, _) = run([.key(.character("R"))])
        XCTAssertEqual(again.state.message, "this is a replay: it is a recording already")
    }

    func testDiagnosisIsTheRecordedSetups() {
        let (loop, _) = run([.key(.character("]")), .key(.character("d"))])
        let d = try! XCTUnwrap(loop.state.diagnosis)
        XCTAssertEqual(d.setup.pathManager, .kernel)
        XCTAssertEqual(d.setup.snapshot?.time, loop.state.snapshot?.time)
    }

    func testTheListKeysStillWorkInAReplay() {
        let (loop, _) = run([.key(.down), .key(.enter), .key(.character("s"))])
        XCTAssertEqual(loop.state.expanded.count, 1, "Enter expanded the second connection")
        XCTAssertEqual(loop.state.selection, .connection(loop.state.expanded.first!))
        XCTAssertNotNil(loop.state.sort)
    }
}

extension ReplayLoopTests {
    func testTheHelpOfAReplayListsItsKeysFirstAndNotTheOnesItShadows() {
        let lines = KeyMap.helpLines(replay: true)
        XCTAssertEqual(lines.first?.help, "pause or play the recording")
        XCTAssertFalse(lines.contains { $0.help.hasPrefix("pause or resume sampling") })
        XCTAssertTrue(lines.contains { $0.help == "quit" })
        XCTAssertTrue(KeyMap.helpLines().contains { $0.help.hasPrefix("pause or resume sampling") })
        XCTAssertFalse(KeyMap.helpLines().contains { $0.help == "pause or play the recording" })
    }
}

extension ReplayLoopTests {
    /// The replay as a person sees it: REPLAY, the recorded time, speed and place in the header,
    /// the replay keys first in the footer, read-only.
    func testReplayGoldenFrame() {
        setenv("TZ", "UTC", 1)  // the recorded time is shown in local time
        tzset()
        let (loop, _) = run([.key(.character("]")), .key(.character("+")), .key(.character("p")), .key(.enter)])
        assertGoldenFrame(DashboardRenderer.render(loop.state, theme: .basic), named: "replay-100x30")
    }
}
