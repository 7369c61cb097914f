import Foundation
import LabKit
import XCTest

/// Shared steps of the action tests: what mptop sees of the lab's one connection, and the
/// namespace state a test must leave exactly as it found it.
extension XCTestCase {
    /// The token and subflows of the one connection mptop sees in `namespace`.
    func onlyConnection(in namespace: String) throws -> (token: String, subflows: [JSONObject]) {
        let report = try mptopOnce(namespace: namespace)
        let connections = report.objects("connections")
        guard connections.count == 1, let token = connections[0].string("token") else {
            throw TestFailure("expected one MPTCP connection in \(namespace), mptop saw \(connections.count)")
        }
        return (token, connections[0].objects("subflows"))
    }

    /// The local address of the subflow on `interface`.
    func subflowLocal(on interface: String, in subflows: [JSONObject]) throws -> String {
        guard let s = subflows.first(where: { $0.string("interface") == interface }), let local = s.string("local") else {
            throw TestFailure("no subflow on \(interface): \(subflows.map { $0.string("interface") ?? "?" })")
        }
        return local
    }

    /// Everything in a namespace a failover test may change, as the tools print it.
    func namespaceState(_ lab: Lab, _ namespace: String) throws -> [String: String] {
        [
            "nft list ruleset": try lab.run(in: namespace, "nft", ["list", "ruleset"]),
            "ip mptcp endpoint show": try ShellCommand.check("ip", ["-n", namespace, "mptcp", "endpoint", "show"]),
            "ip mptcp limits show": try ShellCommand.check("ip", ["-n", namespace, "mptcp", "limits", "show"]),
            "ip link": try ShellCommand.check("ip", ["-n", namespace, "link", "show"]),
            "tc qdisc show": try ShellCommand.check("tc", ["-n", namespace, "qdisc", "show"]),
        ]
    }

    /// A journal directory of the test's own, which mptop (as root) uses only because it is
    /// root-owned with mode 0700, like /run/mptop; passed to mptop as `MPTOP_JOURNAL_DIR`.
    func makeJournalDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "mptop-journal-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    /// The header of a journal left by a run that is dead (pid 99999999 is above the kernel's
    /// limit) in this boot and pid namespace, for a change in namespace `ns`, as the shell sees it.
    func deadRunJournalHeader(netns ns: String) throws -> String {
        func output(_ tool: String, _ arguments: [String]) throws -> String {
            try ShellCommand.check(tool, arguments).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let boot = try output("cat", ["/proc/sys/kernel/random/boot_id"])
        let pidns = try output("stat", ["-L", "-c", "%d:%i", "/proc/self/ns/pid"])
        let netns = try output("ip", ["netns", "exec", ns, "stat", "-L", "-c", "%d:%i", "/proc/self/ns/net"])
        return "mptop-journal 2\npid 99999999\nstarted 1\npidns \(pidns)\nboot \(boot)\nnetns \(netns)\n"
            + "netns-cookie -\nnamespace -\nwhat failover blackhole on wifi0 of connection 00000abc\n"
    }

    func writeJournal(_ text: String, named name: String, in directory: String) throws {
        try text.write(toFile: directory + "/" + name, atomically: false, encoding: .utf8)
        XCTAssertEqual(chmod(directory + "/" + name, 0o600), 0)
    }

    /// Skips when nftables is missing (blackhole mode needs it).
    func skipUnlessNftables() throws {
        if ShellCommand.locate("nft") == nil { throw XCTSkip("nftables is not installed (apt install nftables)") }
    }

    /// The first line of stderr, checked to be the only one (mptop's errors are one line).
    func oneLineError(_ output: ShellCommand.Output, file: StaticString = #filePath, line: UInt = #line) -> String {
        let lines = output.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "expected a one-line error, got: \(output.stderr)", file: file, line: line)
        return lines.first.map(String.init) ?? ""
    }
}

extension XCTestCase {
    /// Stops the transfer and checks that every byte arrived intact; on failure the message
    /// carries the server's per-connection reports (problem, error), so a rare failure can be
    /// understood from the log alone.
    func assertTransferIntact(_ session: TrafficSession, file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try session.finish()
        XCTAssertEqual(result.summary.bool("intact"), true,
                       "server reports: \(result.closed.map(\.values)); summary: \(result.summary.values)", file: file, line: line)
    }
}
