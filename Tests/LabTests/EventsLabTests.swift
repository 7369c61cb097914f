import Foundation
import LabKit
import MPTCPKit
import XCTest

/// Path-manager events on the real kernel: `mptop events` and the in-process source.
final class EventsLabTests: XCTestCase {
    /// Destroys the client's cell0 join with `ss -K` (a SUB_CLOSED with error 103 follows).
    private func killCellSubflow(_ lab: Lab) throws {
        try lab.run(in: lab.clientNamespace, "ss",
                    ["-K", "-tn", "src", LabPath.cell.clientIPv4, "dst", LabAddress.serviceIPv4])
    }

    func testClosingASubflowPrintsSubClosedForItsTokenWithinASecond() throws {
        let lab = try makeLab()
        let session = try TrafficSession(lab: lab, sendArguments: ["--rate", "5M"])
        _ = try session.waitForSubflows(2)
        let report = try mptopOnce(namespace: lab.clientNamespace)
        let token = try XCTUnwrap(report.objects("connections").first?.string("token"))

        let events = try lab.spawn(in: lab.clientNamespace, executable: try mptopPath(),
                                   arguments: ["events", "--json", "--netns", lab.clientNamespace])
        XCTAssertTrue(waitUntil(timeout: 5) { events.errorOutput.contains("subscribed") }, events.diagnosis)

        let killed = Date()
        try killCellSubflow(lab)
        let line = events.waitForLine(containing: #""type":"sub_closed""#, timeout: 1)
        let elapsed = Date().timeIntervalSince(killed)
        let json = try JSONObject(parsing: try XCTUnwrap(line, "no sub_closed line within 1 s: \(events.diagnosis)"))
        XCTAssertLessThanOrEqual(elapsed, 1.0)
        XCTAssertEqual(json.string("token"), token, "the token mptop --once reported")
        XCTAssertEqual(json.string("interface"), "cell0")
        XCTAssertEqual(json.string("local")?.hasPrefix(LabPath.cell.clientIPv4 + ":"), true)
        XCTAssertEqual(json.string("remote"), "\(LabAddress.serviceIPv4):5201")
        XCTAssertEqual(json.number("error"), 103)
        XCTAssertEqual(json.string("error_text"), "connection aborted (closed locally)")
        // The event's own timestamp against the moment ss was started: how fast the news arrives.
        if let t = json.number("time") {
            print("sub_closed received \(Int((t - killed.timeIntervalSince1970) * 1000)) ms after ss -K started")
        }
        events.stop()
        XCTAssertEqual(events.exitStatus, 0, "SIGTERM ends mptop events cleanly: \(events.diagnosis)")
    }

    /// The in-process source the dashboard uses: the event arrives, and a dump taken at once
    /// no longer has the subflow, so reacting to the event shows the truth.
    func testSourceEventAndAnImmediateDumpAgree() throws {
        let lab = try makeLab()
        let session = try TrafficSession(lab: lab, sendArguments: ["--rate", "5M"])
        _ = try session.waitForSubflows(2)
        let saved = try NetworkNamespace.Saved()
        try NetworkNamespace.enter(lab.clientNamespace)
        defer { try? saved.restore() }
        let source = try PathManagerEventSource()
        let sampler = try Sampler(options: .init(processes: false))
        let before = try sampler.sampleWithoutRates()
        XCTAssertEqual(before.subflowCount, 2)
        let token = try XCTUnwrap(before.connections.first?.token)

        XCTAssertTrue(source.drain().events.isEmpty, "nothing happened yet")
        try killCellSubflow(lab)
        var closed: PathManagerEvent?
        let deadline = Clock.system.monotonicNanos() + 1_000_000_000
        while closed == nil && Clock.system.monotonicNanos() < deadline {
            closed = source.wait(timeout: 0.1).events.first { $0.kind == .subflowClosed }
        }
        let event = try XCTUnwrap(closed, "no SUB_CLOSED within 1 s")
        XCTAssertEqual(event.token, token)
        XCTAssertEqual(event.interfaceName, "cell0")
        let after = try sampler.sampleWithoutRates()
        let lag = Double(after.monotonic &- event.monotonic) / 1e6
        XCTAssertEqual(after.connections.first?.subflows.count, 1,
                       "a dump \(lag) ms after the event still shows the closed subflow")

        var departures = Departures()
        departures.update(with: before)
        departures.note(event)
        departures.update(with: after)
        XCTAssertEqual(departures.subflows.first?.reason, "connection aborted (closed locally)")
        XCTAssertEqual(departures.subflows.first?.subflow.local.address.description, LabPath.cell.clientIPv4)
    }

    /// `mptop events | head -1` ends when head does, instead of streaming into a closed pipe.
    func testStopsWhenTheReaderGoesAway() throws {
        let lab = try makeLab()
        let pipeline = try lab.spawn(in: lab.clientNamespace, executable: "/bin/sh",
                                     arguments: ["-c", "'\(try mptopPath())' events --json | head -1"])
        XCTAssertTrue(waitUntil(timeout: 5) { pipeline.errorOutput.contains("subscribed") }, pipeline.diagnosis)
        _ = try TrafficSession(lab: lab, sendArguments: ["--rate", "1M"])
        XCTAssertEqual(pipeline.waitForExit(timeout: 3), 0, "still running after head exited: \(pipeline.diagnosis)")
        XCTAssertTrue(pipeline.output.contains(#""type":"created""#), pipeline.output)
    }

    /// The other direction: when SUB_ESTABLISHED arrives, a dump taken at once already has the
    /// new subflow (so a dashboard that re-samples on events shows joins without waiting).
    func testImmediateDumpAfterSubEstablishedHasTheJoin() throws {
        let lab = try makeLab()
        let saved = try NetworkNamespace.Saved()
        try NetworkNamespace.enter(lab.clientNamespace)
        defer { try? saved.restore() }
        let source = try PathManagerEventSource()
        let sampler = try Sampler(options: .init(processes: false))
        _ = try TrafficSession(lab: lab, sendArguments: ["--rate", "2M"])
        var joined: PathManagerEvent?
        let deadline = Clock.system.monotonicNanos() + 5_000_000_000
        while joined == nil && Clock.system.monotonicNanos() < deadline {
            joined = source.wait(timeout: 0.1).events.first { $0.kind == .subflowEstablished }
        }
        let event = try XCTUnwrap(joined, "no SUB_ESTABLISHED within 5 s")
        let snapshot = try sampler.sampleWithoutRates()
        let connection = try XCTUnwrap(snapshot.connections.first { $0.token == event.token })
        XCTAssertTrue(connection.subflows.contains { $0.local == event.local }, "the join is in a dump taken \(Double(snapshot.monotonic &- event.monotonic) / 1e6) ms after its event")
        XCTAssertEqual(event.interfaceName, "cell0")
    }

    func testWithoutCapNetAdminItSaysSoInOneLine() throws {
        try skipUnlessLabAvailable()
        guard let setpriv = ShellCommand.locate("setpriv") else { throw XCTSkip("setpriv (util-linux) is not installed") }
        let output = try ShellCommand.run(setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", try mptopPath(), "events"],
                                          timeout: 10)
        XCTAssertEqual(output.status, 1, output.stderr)
        XCTAssertEqual(output.stderr, "mptop: subscribing to MPTCP events needs CAP_NET_ADMIN (run as root)\n")
        XCTAssertTrue(output.stdout.isEmpty)
    }

    func testMissingNamespaceAndBadFlags() throws {
        try skipUnlessLabAvailable()
        let missing = try runMptop(["events", "--netns", "no-such-ns-evt"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.stderr.split(separator: "\n").count, 1, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("no-such-ns-evt"))
        let bad = try runMptop(["events", "--jsn"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("--jsn"))
        let help = try runMptop(["events", "--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("USAGE: mptop events"))
    }
}

/// A burst of events larger than the receive buffer is reported as an overrun, and the
/// subscription keeps working afterwards.
final class EventsOverrunLabTests: XCTestCase {
    func testOverrunIsReportedNotFatal() throws {
        let lab = try makeLab()
        let saved = try NetworkNamespace.Saved()
        try NetworkNamespace.enter(lab.clientNamespace)
        defer { try? saved.restore() }
        // The smallest buffer the kernel allows: a few events fill it.
        let source = try PathManagerEventSource(receiveBuffer: 1)
        let session = try TrafficSession(lab: lab, connections: 8, sendArguments: ["--rate", "8M"])
        _ = try session.waitForSubflows(2)
        let burst = source.drain()
        XCTAssertTrue(burst.overrun, "8 connections x 3 events did not overflow the buffer (\(burst.events.count) events read)")

        try lab.run(in: lab.clientNamespace, "ss", ["-K", "-tn", "src", LabPath.cell.clientIPv4, "dst", LabAddress.serviceIPv4])
        var closed = 0
        _ = waitUntil(timeout: 2) {
            let b = source.drain()
            closed += b.events.filter { $0.kind == .subflowClosed }.count
            return closed > 0
        }
        XCTAssertGreaterThan(closed, 0, "events still arrive after the overrun")
    }
}
