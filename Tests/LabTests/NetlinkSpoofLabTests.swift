import Foundation
import LabKit
import MPTCPKit
import XCTest

/// A process with CAP_NET_ADMIN in the watched namespace (root of a container netns) sends
/// forged netlink messages to the running mptop's own sockets: they must change nothing.
final class NetlinkSpoofLabTests: XCTestCase {
    /// The netlink sockets `pid` holds: protocol and port id (`nl_pid`), from its
    /// /proc/PID/net/netlink (its namespace's table) joined with its descriptors by inode.
    private func netlinkSockets(of pid: Int32) throws -> [(proto: Int32, port: UInt32)] {
        let fdDir = "/proc/\(pid)/fd"
        let inodes = Set(try FileManager.default.contentsOfDirectory(atPath: fdDir).compactMap { fd -> String? in
            guard let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(fdDir)/\(fd)"),
                  link.hasPrefix("socket:[") else { return nil }
            return String(link.dropFirst(8).dropLast())
        })
        let table = try String(contentsOfFile: "/proc/\(pid)/net/netlink", encoding: .utf8)
        // sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode
        return table.split(separator: "\n").dropFirst().compactMap { line in
            let f = line.split(whereSeparator: \.isWhitespace)
            guard f.count >= 10, inodes.contains(String(f[9])), let proto = Int32(f[1]), let port = UInt32(f[2]) else { return nil }
            return (proto, port)
        }
    }

    /// An `mptcp_pm` CREATED event for `token`, as the kernel would multicast it.
    private func forgedEvent(family: UInt16, token: UInt32) -> [UInt8] {
        var b = GenericNetlink.request(family: family, command: 1, flags: 0)
        b.appendAttribute(type: PathManagerEventDecoder.Attribute.token, u32: token)
        return b.finish(sequence: 0)
    }

    func testForgedEventsSentToMptopEventsAreNotPrinted() throws {
        let lab = try makeLab()
        let events = try lab.spawn(in: lab.clientNamespace, executable: try mptopPath(),
                                   arguments: ["events", "--json", "--netns", lab.clientNamespace])
        XCTAssertTrue(waitUntil(timeout: 5) { events.errorOutput.contains("subscribed") }, events.diagnosis)
        let port = try XCTUnwrap(try netlinkSockets(of: events.pid).first { $0.proto == 16 }?.port,
                                 "mptop's generic netlink socket")
        try inNamespace(lab.clientNamespace) {
            let forger = try NetlinkSocket(.generic)
            let family = try GenericNetlinkFamily.resolve("mptcp_pm", on: forger)
            let group = try XCTUnwrap(family.groups["mptcp_pm_events"])
            XCTAssertLessThanOrEqual(group, 32, "addressable as a multicast bitmask")
            // Unicast to mptop's port: the kernel refuses it once mptop's socket is connected.
            try? forger.send(forgedEvent(family: family.id, token: 0xdead_beef), toPort: port)
            // Multicast to every subscriber, as the kernel's own events come: root may send it.
            try forger.send(forgedEvent(family: family.id, token: 0xfeed_face), toPort: 0, groups: 1 << (group - 1))
        }
        // A real event after the forged ones: once it is printed, the forged ones were read.
        let session = try TrafficSession(lab: lab, sendArguments: ["--rate", "1M"])
        _ = try session.waitForSubflows(2)
        XCTAssertNotNil(events.waitForLine(containing: #""type":"established""#, timeout: 5), events.diagnosis)
        XCTAssertFalse(events.output.contains("deadbeef"), "a forged unicast event was printed: \(events.output)")
        XCTAssertFalse(events.output.contains("feedface"), "a forged multicast event was printed: \(events.output)")
        events.stop()
        XCTAssertEqual(events.exitStatus, 0, events.diagnosis)
    }

    /// NLMSG_ERROR with code INT32_MIN for every sequence number mptop's dumps could use: the
    /// negation `-code` used to trap (SIGILL) and kill the monitor.
    func testForgedErrorRepliesToTheMonitorsSocketsDoNotEndIt() throws {
        let lab = try makeLab()
        let session = try TrafficSession(lab: lab, sendArguments: ["--rate", "1M"])
        _ = try session.waitForSubflows(2)
        let monitor = try lab.spawn(in: lab.clientNamespace, executable: try mptopPath(),
                                    arguments: ["--json", "--interval", "0.3", "--count", "8", "--netns", lab.clientNamespace])
        XCTAssertNotNil(monitor.waitForLine(containing: "connections", timeout: 5), monitor.diagnosis)
        let sockets = try netlinkSockets(of: monitor.pid)
        XCTAssertTrue(sockets.contains { $0.proto == 4 }, "mptop's sock_diag socket: \(sockets)")
        var forged: [UInt8] = []
        for sequence in UInt32(1)...900 {
            var b = NetlinkRequestBuilder(type: NetlinkConstants.typeError, flags: 0)
            b.append(withUnsafeBytes(of: Int32.min) { Array($0) } + [UInt8](repeating: 0, count: 16))
            forged += b.finish(sequence: sequence)
        }
        try inNamespace(lab.clientNamespace) {
            for s in sockets {
                guard let kind = NetlinkSocket.Kind(rawValue: s.proto) else { continue }
                try? NetlinkSocket(kind).send(forged, toPort: s.port)
            }
        }
        let status = monitor.waitForExit(timeout: 10)
        XCTAssertEqual(status, 0, "mptop --json ends normally: \(monitor.diagnosis)")
        let reports = monitor.lines.filter { $0.hasPrefix("{") }
        XCTAssertEqual(reports.count, 8, monitor.diagnosis)
        for line in reports {
            XCTAssertEqual(try JSONObject(parsing: line).objects("connections").count, 1, "the real connection, every time")
        }
    }
}
