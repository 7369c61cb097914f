import Foundation
import XCTest
@testable import MPTCPKit
@testable import Output

/// The recording format (docs/recording.md): what is written reads back as the same JSON, and
/// damage of any kind is one line, never a trap.
final class RecordingTests: XCTestCase {
    var directory: String!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "mptop-recording-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Samples made from the captured 6.18 dumps, changing as a transfer would: bytes grow, a
    /// subflow closes, a connection goes away and comes back, a process name changes. Rates are
    /// annotated as the sampler annotates them.
    static func samples(_ count: Int) throws -> [Snapshot] {
        let joined = try Fixture.join("client618")
        var tracker = RateTracker()
        var out: [Snapshot] = []
        for i in 0..<count {
            var s = Snapshot(time: 1_764_580_000.125 + Double(i) * 1.0005, monotonic: 5_000_000_000 + UInt64(i) * 1_000_500_000, namespace: "lab-ns")
            s.connections = joined.connections
            s.listeners = joined.listeners
            s.interrupted = i == 3
            s.unmatchedSubflows = i % 2
            for ci in s.connections.indices {
                s.connections[ci].process = ProcessRef(pid: 4242, name: i < 5 ? "iperf3" : "mptop traffic")
                let acked = s.connections[ci].info?.bytesAcked
                s.connections[ci].info?.bytesAcked = acked.map { $0 + UInt64(i) * 1_250_000 }
                for si in s.connections[ci].subflows.indices {
                    s.connections[ci].subflows[si].interfaceIndex = UInt32(2 + si % 2)
                    let sent = s.connections[ci].subflows[si].tcp?.bytesAcked
                    s.connections[ci].subflows[si].tcp?.bytesAcked = sent.map { $0 + UInt64(i * (si + 1)) * 600_000 }
                    s.connections[ci].subflows[si].tcp?.rtt = 10_000 + UInt32(i * 37)
                }
                if i >= 6, s.connections[ci].subflows.count > 1 { s.connections[ci].subflows.removeLast() }
            }
            if i == 4, !s.connections.isEmpty { s.connections.removeFirst() }
            s.interfaces = Shares.apply(to: &s.connections, names: { [2: "wifi0", 3: "cell0"][$0] })
            tracker.annotate(&s)
            out.append(s)
        }
        return out
    }

    static func events() throws -> [PathManagerEvent] {
        try EventMessage.captured("client").compactMap { $0.decoded() }
    }

    static func counters(_ i: Int) throws -> MPTCPCounters {
        let text = try String(contentsOf: Fixture.directory.appendingPathComponent("netstat618-host.txt"), encoding: .utf8)
        let c = try XCTUnwrap(MPTCPCounters.parse(netstat: text))
        return MPTCPCounters(entries: c.entries.enumerated().map { .init(name: $1.name, value: $1.value + UInt64($0 % 3 * i)) })
    }

    static func setup() -> PathManagerSetup {
        var s = PathManagerSetup(namespace: "lab-ns")
        s.mptcpEnabled = true
        s.pathManager = .kernel
        s.endpoints = [PathManagerEndpoint(id: 1, address: IPAddress("10.1.2.3"), port: 0, flags: [.subflow, .backup], interfaceIndex: 3),
                       PathManagerEndpoint(id: 2, address: IPAddress("fd00::2"), flags: .signal)]
        s.limits = PathManagerLimits(subflows: 2, addAddrAccepted: 1)
        s.sysctls = [MPTCPSysctlValue(name: "enabled", value: "1"), MPTCPSysctlValue(name: "scheduler", value: "default")]
        s.links = [InterfaceTable.Link(index: 1, name: "lo", up: true, loopback: true, running: true),
                   InterfaceTable.Link(index: 2, name: "wifi0", up: true, loopback: false, running: false)]
        s.endpointInterfaces = [1: 3, 2: 2]
        s.unreadable = ["nothing"]
        return s
    }

    /// Writes `samples` with events before the third, counters with each, the setup at block starts.
    func write(_ samples: [Snapshot], keyframeEvery: Int = 4, name: String = "r.mptrec") throws -> String {
        let path = directory + "/" + name
        let header = RecordingHeader(writer: "mptop test", host: "host", kernel: "6.18.0", namespace: "lab-ns", interval: 1,
                                     started: samples.first?.time ?? 0, pathManager: "kernel", scheduler: "default", keyframeEvery: keyframeEvery)
        let w = try RecordingWriter(path: path, header: header)
        let events = try Self.events()
        for (i, s) in samples.enumerated() {
            if i == 2 { w.note(PathManagerEventBatch(events: events, overrun: true)) }
            try w.append(s, counters: try Self.counters(i), setup: { Self.setup() })
        }
        w.close()
        return path
    }

    func readAll(_ path: String) throws -> (RecordingReader, [RecordedSample]) {
        let r = try RecordingReader(path: path)
        var out: [RecordedSample] = []
        while let s = try r.next() { out.append(s) }
        return (r, out)
    }

    func testReplayedSnapshotsPrintTheSameJSONAsLive() throws {
        let live = try Self.samples(10)
        XCTAssertGreaterThan(live[0].connections.count, 0)
        XCTAssertNotNil(live[1].connections[0].txRate, "the fixture should give rates from the second sample")
        let (reader, replayed) = try readAll(try write(live))
        XCTAssertNil(reader.truncation)
        XCTAssertEqual(reader.header.namespace, "lab-ns")
        XCTAssertEqual(reader.header.kernel, "6.18.0")
        XCTAssertEqual(replayed.count, live.count)
        for (a, b) in zip(live, replayed) {
            XCTAssertEqual(SnapshotJSON.render(b.snapshot), SnapshotJSON.render(a))
            XCTAssertEqual(b.snapshot.interrupted, a.interrupted)
            XCTAssertEqual(SnapshotTable.render(b.snapshot), SnapshotTable.render(a))
        }
        // Events, counters and setup.
        XCTAssertEqual(replayed[2].events.events, try Self.events())
        XCTAssertTrue(replayed[2].events.overrun)
        XCTAssertTrue(replayed[3].events.events.isEmpty)
        for (i, s) in replayed.enumerated() { XCTAssertEqual(s.counters, try Self.counters(i)) }
        XCTAssertEqual(replayed[5].counterChanges, MPTCPCounterChange.between(try Self.counters(4), try Self.counters(5)))
        let setup = try XCTUnwrap(replayed[9].setup)
        XCTAssertEqual(setup.endpoints, Self.setup().endpoints)
        XCTAssertEqual(setup.limits, Self.setup().limits)
        XCTAssertEqual(setup.sysctls, Self.setup().sysctls)
        XCTAssertEqual(setup.links.map(\.name), ["lo", "wifi0"])
        XCTAssertEqual(setup.links.map(\.running), [true, false])
        XCTAssertEqual(setup.endpointInterfaces, [1: 3, 2: 2])
        XCTAssertEqual(setup.pathManager, .kernel)
    }

    func testRewindingToATimeGivesThatSampleWithItsRates() throws {
        let live = try Self.samples(10)
        let reader = try RecordingReader(path: try write(live, keyframeEvery: 3))
        XCTAssertEqual(try reader.blocks().count, 4)
        XCTAssertEqual(try reader.blocks(verify: true), try reader.blocks())
        for target in [0, 3, 4, 7, 9] {
            try reader.rewind(before: live[target].time)
            var found: RecordedSample?
            while let s = try reader.next() {
                if s.snapshot.time >= live[target].time { found = s; break }
            }
            XCTAssertEqual(SnapshotJSON.render(try XCTUnwrap(found).snapshot), SnapshotJSON.render(live[target]), "sample \(target)")
        }
    }

    /// A recording cut at any byte: before the end of the header a one-line error, after it every
    /// sample whose record is complete (and a note when a record was cut).
    func testARecordingCutAtAnyByteReadsUpToItsLastCompleteSample() throws {
        let live = Array(try Self.samples(5))
        let path = try write(live, keyframeEvery: 2)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let headerEnd = try RecordingReader(path: path).blocks()[0].offset
        // Where each record ends: the number of samples a prefix holds.
        var ends: [Int] = []
        let full = try RecordingReader(path: path)
        for b in try full.blocks() { _ = b }
        var at = headerEnd
        while at < bytes.count {
            let length = Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
            at += 16 + length
            ends.append(at)
        }
        XCTAssertEqual(ends.count, live.count)
        let cutPath = directory + "/cut.mptrec"
        for length in 0..<bytes.count {
            try Data(bytes[0..<length]).write(to: URL(fileURLWithPath: cutPath))
            do {
                let (reader, samples) = try readAll(cutPath)
                XCTAssertGreaterThanOrEqual(length, headerEnd, "cut at \(length): read a header that is not all there")
                let complete = ends.filter { $0 <= length }.count
                XCTAssertEqual(samples.count, complete, "cut at \(length)")
                XCTAssertEqual(reader.truncation != nil, length != headerEnd && !ends.contains(length), "cut at \(length)")
                for (a, b) in zip(live, samples) { XCTAssertEqual(SnapshotJSON.render(b.snapshot), SnapshotJSON.render(a)) }
            } catch let e as RecordingError {
                XCTAssertLessThan(length, headerEnd, "cut at \(length): \(e)")
                XCTAssertFalse(e.description.contains("\n"))
                XCTAssertTrue([.truncatedHeader, .notARecording].contains(e.problem), "cut at \(length): \(e)")
            }
        }
    }

    /// Any byte changed anywhere is an error that names where the damage is: at the header, or
    /// at the start of the record (frame or payload) that holds the byte.
    func testACorruptedByteAnywhereIsAnErrorNamingItsOffset() throws {
        let path = try write(try Self.samples(4), keyframeEvery: 2)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let headerEnd = try RecordingReader(path: path).blocks()[0].offset
        let damaged = directory + "/damaged.mptrec"
        for i in 0..<bytes.count {
            var copy = bytes
            copy[i] ^= 0x21
            try Data(copy).write(to: URL(fileURLWithPath: damaged))
            do {
                _ = try readAll(damaged)
                XCTFail("byte \(i) changed, and the recording still read")
            } catch let e as RecordingError {
                XCTAssertFalse(e.description.contains("\n"))
                switch e.problem {
                case .corrupted(let offset, _):
                    XCTAssertLessThanOrEqual(offset, i, "byte \(i): \(e)")
                    if i >= headerEnd { XCTAssertGreaterThanOrEqual(offset, headerEnd, "byte \(i): \(e)") }
                    XCTAssertTrue(e.description.contains("at byte \(offset)"))
                case .notARecording: XCTAssertLessThan(i, 8, "byte \(i): \(e)")
                case .truncatedHeader: XCTAssertTrue((10..<14).contains(i), "byte \(i): \(e)") // the header length
                default: XCTFail("byte \(i): \(e)")
                }
            }
        }
    }

    func testANewerFormatVersionIsOneLine() throws {
        var header = RecordingHeader(writer: "mptop 9", host: "h", kernel: "7.0", namespace: nil, interval: 1, started: 0,
                                     pathManager: nil, scheduler: nil)
        header.version = RecordingFormat.version + 1
        let path = directory + "/future.mptrec"
        try Data(header.fileBytes()).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try RecordingReader(path: path)) { e in
            XCTAssertEqual("\(e)", "\(path) is a recording of format version 2; this mptop reads version 1 and older (a newer mptop can replay it)")
        }
    }

    func testSomethingElseIsNotARecording() throws {
        let path = directory + "/notes.txt"
        try "just some notes\n".write(toFile: path, atomically: false, encoding: .utf8)
        XCTAssertThrowsError(try RecordingReader(path: path)) { XCTAssertEqual("\($0)", "\(path) is not an mptop recording") }
        XCTAssertThrowsError(try RecordingReader(path: directory)) { XCTAssertEqual("\($0)", "cannot read \(self.directory!): not a regular file") }
        XCTAssertThrowsError(try RecordingReader(path: directory + "/missing")) {
            XCTAssertEqual("\($0)", "cannot read \(self.directory!)/missing: No such file or directory")
        }
    }

    func testAnExistingFileIsNotOverwritten() throws {
        let path = directory + "/taken"
        try "mine".write(toFile: path, atomically: false, encoding: .utf8)
        let header = RecordingHeader(writer: "t", host: "h", kernel: "k", namespace: nil, interval: 1, started: 0, pathManager: nil, scheduler: nil)
        XCTAssertThrowsError(try RecordingWriter(path: path, header: header)) { XCTAssertTrue("\($0)".contains("it exists")) }
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "mine")
    }

    /// Times the dashboard turns into clock text and durations (where NaN or infinity would trap)
    /// are refused as damage: a sample's, an event's, the header's.
    func testTimesThatAreNoTimeAreDamage() throws {
        var live = try Self.samples(2)
        live[1].time = .nan
        XCTAssertThrowsError(try readAll(try write(live, name: "nan.mptrec"))) { e in
            XCTAssertTrue("\(e)".contains("a sample's time nan is not a time"), "\(e)")
        }
        var header = RecordingHeader(writer: "t", host: "h", kernel: "k", namespace: nil, interval: .infinity, started: 0,
                                     pathManager: nil, scheduler: nil)
        let path = directory + "/interval.mptrec"
        try Data(header.fileBytes()).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try RecordingReader(path: path)) { XCTAssertTrue("\($0)".contains("an interval of inf s"), "\($0)") }
        header.interval = 1
        header.started = -.infinity
        try Data(header.fileBytes()).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try RecordingReader(path: path)) { XCTAssertTrue("\($0)".contains("is not a time"), "\($0)") }
        var event = PathManagerEvent(kind: .created, time: .infinity)
        event.token = 1
        let w = try RecordingWriter(path: directory + "/event.mptrec", header: RecordingHeader(writer: "t", host: "h", kernel: "k", namespace: nil,
                                                                                               interval: 1, started: 0, pathManager: nil, scheduler: nil))
        w.note(PathManagerEventBatch(events: [event]))
        try w.append(try Self.samples(1)[0], counters: nil, setup: { nil })
        w.close()
        XCTAssertThrowsError(try readAll(directory + "/event.mptrec")) { XCTAssertTrue("\($0)".contains("an event's time inf"), "\($0)") }
    }
}
