import Foundation
@testable import MPTCPKit
@testable import Output
import XCTest

/// The text table and the JSON of one snapshot that holds every odd case the writers meet
/// (no mptcp_info, fallback, IPv6, names to escape and not ASCII, stalled and closing subflows,
/// nothing from tcp_info, values at each unit's edges, counters near 2^64), byte for byte
/// against files written before the writers wrote bytes: a faster writer must write the same.
/// `RECORD_SNAPSHOTS=1 swift test --filter WriterGoldenTests` rewrites them (and fails).
final class WriterGoldenTests: XCTestCase {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/writers")

    func testTable() throws { try check(SnapshotTable.render(Self.snapshot()), "table.txt") }

    func testJSON() throws { try check(SnapshotJSON.render(Self.snapshot()) + "\n", "snapshot.json") }

    /// `mptop --once` renders on two threads, in pieces (one, two or all of the connections
    /// here): the same bytes.
    func testTableOnTwoThreads() throws {
        for rows in [1, 2, 512] {
            var out: [UInt8] = [], buffer: [UInt8] = []
            SnapshotTable.write(Self.snapshot(), buffer: &buffer, rowsPerPiece: rows) { out += $0 }
            try check(String(decoding: out, as: UTF8.self), "table.txt")
        }
    }

    func testJSONOnTwoThreads() throws {
        for rows in [1, 2, 512] {
            var out: [UInt8] = [], buffer: [UInt8] = []
            SnapshotJSON.writeLine(Self.snapshot(), buffer: &buffer, rowsPerPiece: rows) { out += $0 }
            try check(String(decoding: out, as: UTF8.self), "snapshot.json")
        }
    }

    private func check(_ text: String, _ name: String) throws {
        let url = Self.directory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
            XCTFail("recorded \(name): run again without RECORD_SNAPSHOTS")
            return
        }
        let expected = try String(decoding: Data(contentsOf: url), as: UTF8.self)
        XCTAssertEqual(text, expected)
        if text != expected {
            for (k, (a, b)) in zip(text.split(separator: "\n", omittingEmptySubsequences: false),
                                   expected.split(separator: "\n", omittingEmptySubsequences: false)).enumerated() where a != b {
                XCTFail("\(name) line \(k + 1):\n  got      \(a)\n  expected \(b)")
                break
            }
        }
    }

    static func address(_ ip: String, _ port: UInt16) -> SocketAddress { SocketAddress(IPAddress(ip)!, port) }

    static func subflow(_ local: SocketAddress, _ remote: SocketAddress, _ state: SocketState = .established, interface: String?,
                        _ edit: (inout TCPInfo) -> Void) -> Subflow {
        var s = Subflow(local: local, remote: remote, state: state, boundInterfaceIndex: 0, cookie: 1, inode: 0, uid: 0)
        s.interfaceName = interface
        var t = TCPInfo()
        edit(&t)
        s.tcp = t
        return s
    }

    static func snapshot() -> Snapshot {
        var s = Snapshot(time: 1_700_000_123.4567, monotonic: 1, namespace: "lab\u{1b}[2J")
        // No mptcp_info: token "-", no subflows, no process, no rates.
        s.connections.append(Connection(local: address("198.18.1.2", 1), remote: address("198.18.0.1", 5201),
                                        state: .synSent, cookie: 1, inode: 2, uid: 0))
        // Fallback, IPv6, a process and interfaces with names to escape, rates at each prefix.
        var c = Connection(local: address("2001:db8::2", 40000), remote: address("2001:db8::1", 443), state: .established,
                           cookie: 3, inode: 4, uid: 1000)
        var info = MPTCPInfo()
        info.token = 0xab
        info.flags = 0x1
        info.bytesSent = 1023
        info.bytesReceived = UInt64.max
        c.info = info
        c.process = ProcessRef(pid: 77, name: "caf\u{e9}\u{1b}]0;x\u{7}")
        c.txRate = 999.6
        c.rxRate = 9_960
        c.interfaceShares = [InterfaceShare(name: "wifi0", share: 0.0049), InterfaceShare(name: "\u{e7}ell\n0", share: 0.995)]
        let l = address("2001:db8::2", 40000), r = address("2001:db8::1", 443)
        c.subflows.append(subflow(l, r, interface: "wifi0") {
            $0.sndCwnd = 10; $0.rtt = 99_999; $0.rttVar = 100_000; $0.bytesAcked = 1024; $0.bytesReceived = 10 * 1024 - 1
            $0.totalRetrans = 3; $0.unacked = 2; $0.lastAckReceived = 4200
        })
        c.subflows.append(subflow(l, r, interface: nil) { $0.backoff = 1; $0.lastAckReceived = 850 })
        c.subflows.append(subflow(l, r, interface: "cell0") { $0.backoff = 2; $0.lastAckReceived = 75_000; $0.rtt = UInt32.max })
        c.subflows.append(subflow(l, r, interface: "cell0") { $0.backoff = 2; $0.lastAckReceived = 720_000 })
        c.subflows.append(subflow(l, r, interface: "cell0") { $0.backoff = 1 })
        var closing = subflow(l, r, .finWait1, interface: "wifi0") { _ in }
        closing.tcp = nil
        var u = SubflowULPInfo()
        u.name = "mptcp"
        u.flags = 0xcc | 0b10_0000
        u.localID = 5
        u.tokenRemote = 0xffff_ffff
        closing.ulp = u
        closing.txRate = 1.5e15
        closing.rxRate = -0.4
        c.subflows.append(closing)
        for (k, rate) in [0.0, 1e3 - 0.4, 12_345_678, 1e15, 5e20, .nan].enumerated() where k < c.subflows.count {
            c.subflows[k].txRate = c.subflows[k].txRate ?? rate
        }
        s.connections.append(c)
        // An ordinary one, as most are.
        var plain = Connection(local: address("198.18.1.2", 40001), remote: address("198.18.0.1", 5201), state: .established,
                               cookie: 5, inode: 6, uid: 0)
        var pinfo = MPTCPInfo()
        pinfo.token = 0x9e37_79b9
        pinfo.bytesSent = 5_000_000
        pinfo.bytesReceived = 0
        plain.info = pinfo
        plain.process = ProcessRef(pid: 4242, name: "iperf3")
        plain.txRate = 41_943_040
        plain.rxRate = 0
        plain.interfaceShares = [InterfaceShare(name: "wifi0", share: 1)]
        plain.subflows.append(subflow(address("198.18.1.2", 40001), address("198.18.0.1", 5201), interface: "wifi0") {
            $0.sndCwnd = 42; $0.rtt = 12_500; $0.rttVar = 500; $0.bytesAcked = 5_000_000; $0.bytesReceived = 0; $0.totalRetrans = 0
        })
        s.connections.append(plain)
        s.listeners = [Listener(local: address("0.0.0.0", 5201), inode: 9, uid: 0, process: ProcessRef(pid: 1, name: "srv")),
                       Listener(local: address("::", 443), inode: 10, uid: 0, process: nil)]
        var wifi = InterfaceUsage(name: "wifi0", index: 2)
        wifi.bytesTx = 1 << 40
        wifi.share = 0.0049
        wifi.txRate = 999.4
        wifi.subflows = 3
        var cell = InterfaceUsage(name: "c\u{e9}ll\u{9b}", index: 3)
        cell.share = 0.995
        cell.rxRate = 1e12
        s.interfaces = [wifi, cell]
        s.unmatchedSubflows = 1
        return s
    }
}
