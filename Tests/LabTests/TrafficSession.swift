import Foundation
import LabKit
import XCTest

/// A traffic server in the lab's server namespace and a sender in its client namespace, both
/// `mptop traffic` processes speaking JSON lines.
final class TrafficSession {
    let lab: Lab
    let server: LabProcess
    let sender: LabProcess
    let connections: Int

    /// Starts `mptop traffic serve` on the service address and `mptop traffic send` with
    /// `sendArguments` towards it; returns once the sender reports all connections open.
    init(lab: Lab, ipv6: Bool = false, connections: Int = 1, sendArguments: [String] = []) throws {
        self.lab = lab
        self.connections = connections
        let traffic = try lab.startTraffic(mptop: try MptopBinary.path(), ipv6: ipv6, connections: connections,
                                           sendArguments: sendArguments)
        server = traffic.server
        sender = traffic.sender
    }

    /// Waits until every connection has `subflows` established subflows in `ss -tnie` and has
    /// acknowledged data on each; returns ss's view.
    func waitForSubflows(_ subflows: Int = 2, timeout: TimeInterval = 8) throws -> SSReport {
        var last: SSReport?
        let deadline = Date(timeIntervalSinceNow: timeout)
        repeat {
            let report = try SSReport.tcp(namespace: lab.clientNamespace)
            last = report
            let groups = report.subflowsByToken
            let ready = groups.count == connections && groups.values.allSatisfy { group in
                group.count == subflows && group.allSatisfy { Int($0.info["bytes_acked"] ?? "0") ?? 0 > 0 }
            }
            if ready { return report }
            usleep(100_000)
        } while Date() < deadline
        let seen = last?.subflowsByToken.mapValues(\.count).description ?? "nothing"
        throw TestFailure("expected \(connections) connection(s) with \(subflows) busy subflows each within "
            + "\(Int(timeout)) s; ss -tnie shows \(seen)")
    }

    /// What the server reported, after the sender and then the server were stopped.
    struct Result {
        let closed: [JSONObject]
        let summary: JSONObject
        let bytesSent: Double?
    }

    /// Stops the sender (SIGTERM), waits for the server to see every connection end, stops the
    /// server and returns its reports.
    func finish() throws -> Result {
        sender.stop(timeout: 15)
        let done = sender.lines.compactMap { try? JSONObject(parsing: $0) }.first { $0.string("event") == "done" }
        _ = waitForClosed(count: connections, timeout: 15)
        server.stop(timeout: 10)
        let events = server.lines.compactMap { try? JSONObject(parsing: $0) }
        guard let summary = events.first(where: { $0.string("event") == "summary" }) else {
            throw TestFailure("traffic server printed no summary: \(server.diagnosis)")
        }
        return Result(closed: events.filter { $0.string("event") == "closed" }, summary: summary,
                      bytesSent: done?.number("bytes_sent"))
    }

    /// Waits until the server reported `count` closed connections.
    @discardableResult
    func waitForClosed(count: Int, timeout: TimeInterval) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while Date() < deadline {
            if server.lines.filter({ $0.contains(#""event":"closed""#) }).count >= count { return true }
            usleep(50_000)
        }
        return false
    }
}

/// The last words of a process, for failure messages.
