@testable import Dashboard
@testable import MPTCPKit
import XCTest

/// The event loop end to end with a scripted terminal and a fake clock.
final class DashboardLoopTests: XCTestCase {
    final class ScriptedTerminal: TerminalIO {
        var width = 100
        var height = 30
        var script: [InputEvent?]
        var drawn: [CellGrid] = []
        var themes: [String] = []
        let clock: FakeClock

        init(_ script: [InputEvent?], clock: FakeClock) {
            self.script = script
            self.clock = clock
        }

        func nextEvent(timeout: Double, watching: Int32?) -> InputEvent? {
            guard !script.isEmpty else { return .stop }
            let e = script.removeFirst()
            if e == nil { clock.now += timeout }  // nothing typed: the wait runs out
            if case .resize(let w, let h)? = e { width = w; height = h }
            return e
        }

        func draw(_ grid: CellGrid) { drawn.append(grid) }
        func use(_ theme: Theme) { themes.append(theme.name) }
    }

    final class FakeClock { var now = 100.0 }

    func run(_ script: [InputEvent?]) -> (DashboardLoop, ScriptedTerminal, Int) {
        let clock = FakeClock()
        let terminal = ScriptedTerminal(script, clock: clock)
        var second = 0
        var rates = RateTracker()
        let inputs = DashboardInputs(terminal: terminal, sample: {
            var s = Scenario.snapshot(at: second)
            s.monotonic = UInt64(clock.now * 1e9)
            rates.annotate(&s)
            second += 1
            return s
        }, now: { clock.now }, themes: [Theme(name: "one"), Theme(name: "two")])
        let loop = DashboardLoop(state: DashboardState(header: Scenario.header, width: 1, height: 1), inputs: inputs)
        loop.run()
        return (loop, terminal, second)
    }

    func testSamplesOnScheduleAndQuits() {
        let (loop, terminal, samples) = run([nil, nil, nil, .key(.character("q"))])
        XCTAssertEqual(samples, 4, "one at start, then one per expired wait")
        XCTAssertTrue(loop.state.quit)
        XCTAssertEqual(terminal.drawn.count, 4)
        XCTAssertTrue(terminal.drawn.last!.text.contains("3 connections"))
    }

    func testPauseStopsSampling() {
        let (loop, _, samples) = run([.key(.character("p")), nil, nil, .key(.character("p")), .key(.character("q"))])
        XCTAssertEqual(samples, 2, "none while paused; one right after resuming")
        XCTAssertFalse(loop.state.paused)
    }

    func testResizeRedrawsAtTheNewSize() {
        let (_, terminal, _) = run([.resize(width: 120, height: 40), .resize(width: 40, height: 10), .key(.character("q"))])
        XCTAssertEqual(terminal.drawn[1].width, 120)
        XCTAssertTrue(terminal.drawn[2].text.contains("terminal too small"))
    }

    func testThemeKeySwitchesTheTerminalsColours() {
        let (_, terminal, _) = run([.key(.character("t")), .key(.character("t")), .stop])
        XCTAssertEqual(terminal.themes, ["one", "two", "one"])
    }

    func testStopEndsTheLoop() {
        let (loop, _, _) = run([nil, .stop, .key(.character("j"))])
        XCTAssertFalse(loop.state.quit)
        XCTAssertEqual(loop.frames, 2)
    }

    func testSamplingFailureIsShownNotFatal() {
        let clock = FakeClock()
        let terminal = ScriptedTerminal([nil, .key(.character("q"))], clock: clock)
        struct Gone: Error, CustomStringConvertible { var description: String { "namespace vanished" } }
        let inputs = DashboardInputs(terminal: terminal, sample: { throw Gone() }, now: { clock.now }, themes: [])
        let loop = DashboardLoop(state: DashboardState(header: Scenario.header, width: 1, height: 1), inputs: inputs)
        loop.run()
        XCTAssertTrue(terminal.drawn.last!.text.contains("sampling failed: namespace vanished"))
    }
}

/// `w` on a finished failover report writes a new file, never through a link left at its name.
final class ReportSaveTests: XCTestCase {
    func testTheReportIsSavedAsANewFileNeverThroughALink() throws {
        let clock = DashboardLoopTests.FakeClock()
        let terminal = DashboardLoopTests.ScriptedTerminal([], clock: clock)
        let loop = DashboardLoop(state: Scenario.state(width: 100, height: 30),
                                 inputs: DashboardInputs(terminal: terminal, sample: { Scenario.snapshot(at: 0) },
                                                         now: { clock.now }, themes: [.basic]))
        let dir = NSTemporaryDirectory() + "mptop-save-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let home = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(dir))
        defer {
            _ = FileManager.default.changeCurrentDirectoryPath(home)
            try? FileManager.default.removeItem(atPath: dir)
        }
        let name = "mptop-failover-\(Int(clock.now * 1000)).json"
        let target = dir + "/target"
        XCTAssertEqual(symlink(target, name), 0)
        let saved = loop.save("{\"mode\":\"blackhole\"}")
        XCTAssertFalse(FileManager.default.fileExists(atPath: target), "nothing was written through the link")
        XCTAssertNotEqual(saved, "./" + name)
        unlink(name)
        XCTAssertEqual(loop.save("{}"), "./" + name)
        var st = stat()
        XCTAssertEqual(stat(name, &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o600)
        XCTAssertEqual(try String(contentsOfFile: name, encoding: .utf8), "{}\n")
        unlink("/tmp/" + name)
    }
}
