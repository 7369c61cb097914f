import Foundation
import LabKit
import MPTCPKit
import XCTest

/// `mptop demo --cleanup` and `Lab.cleanupStale()`: only labs that a marker proves to be a dead
/// run's of this host are removed, and no process outside their namespaces is ever killed.
final class LabCleanupTests: XCTestCase {
    /// A namespace named like a lab of the dead pid 99999999, with a process in it (a shell
    /// someone opened there), deleted and killed at teardown.
    private func labLikeNamespace() throws -> (name: String, process: Process) {
        let hex = String(UInt16.random(in: 0x1000...0xffff), radix: 16)
        let name = "mptop-99999999-\(hex)-cli"
        try ShellCommand.check("ip", ["netns", "add", name])
        addTeardownBlock { _ = try? ShellCommand.run("ip", ["netns", "delete", name]) }
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: try XCTUnwrap(ShellCommand.locate("ip")))
        shell.arguments = ["netns", "exec", name, "sleep", "60"]
        try shell.run()
        addTeardownBlock { if shell.isRunning { kill(shell.processIdentifier, SIGKILL) } }
        _ = waitUntil(timeout: 5) { NamespaceIdentity.of(path: "/proc/\(shell.processIdentifier)/ns/net")
            == NetworkNamespaceHandle.identity(named: name) }
        return (name, shell)
    }

    /// A marker directory of the test's own (root-owned, 0700).
    private func markerDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "mptop-labs-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        XCTAssertEqual(mkdir(path, 0o700), 0)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    /// The stamp of a run that is dead: a pid above the kernel's limit, in this boot and pid namespace.
    private func deadOwner(pidNamespace: NamespaceIdentity? = nil, pid: Int32 = 99_999_999) throws -> ProcessStamp {
        let me = try ProcessStamp.current()
        return ProcessStamp(pid: pid, startTicks: 1, pidNamespace: pidNamespace ?? me.pidNamespace, boot: me.boot)
    }

    func testCleanupLeavesANamespaceThatIsOnlyNamedLikeALabAndTheProcessInIt() throws {
        try skipUnlessLabAvailable()
        let (name, shell) = try labLikeNamespace()
        let out = try runMptop(["demo", "--cleanup"])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertFalse(out.stdout.contains(name), out.stdout)
        XCTAssertNotNil(NetworkNamespaceHandle.identity(named: name), "an unmarked namespace was deleted")
        XCTAssertTrue(shell.isRunning, "a process in an unmarked namespace was killed")
        Lab.cleanupStale()
        XCTAssertNotNil(NetworkNamespaceHandle.identity(named: name))
        XCTAssertTrue(shell.isRunning)
    }

    func testAKilledDemoIsCleanedUpAndNothingOutsideItsNamespacesIsKilled() throws {
        try skipUnlessLabAvailable()
        let bystander = Process() // on the host, a child of this test: must survive
        bystander.executableURL = URL(fileURLWithPath: "/bin/sleep")
        bystander.arguments = ["60"]
        try bystander.run()
        addTeardownBlock { if bystander.isRunning { kill(bystander.processIdentifier, SIGKILL) } }
        let demo = Process()
        demo.executableURL = URL(fileURLWithPath: try mptopPath())
        demo.arguments = ["demo", "--json", "--interval", "0.5"]
        demo.standardOutput = FileHandle.nullDevice
        demo.standardError = FileHandle.nullDevice
        demo.standardInput = FileHandle.nullDevice
        try demo.run()
        let stem = "mptop-\(demo.processIdentifier)-"
        var names: [String] = []
        addTeardownBlock {
            if demo.isRunning { kill(demo.processIdentifier, SIGKILL) }
            for n in names { _ = try? ShellCommand.run("ip", ["netns", "delete", n]) }
        }
        // The demo is up once its phone runs a sender (a process of the lab's own).
        var members: [Int32] = []
        let up = try waitUntil(timeout: 15) {
            names = try ShellCommand.check("ip", ["netns", "list"]).split(separator: "\n")
                .compactMap { $0.split(separator: " ").first.map(String.init) }.filter { $0.hasPrefix(stem) }
            members = names.compactMap(NetworkNamespaceHandle.identity(named:)).flatMap { NetworkNamespaceHandle.processes(in: $0).pids }
            return names.count == 2 && members.count >= 2
        }
        XCTAssertTrue(up, "the demo built no lab with processes: \(names)")
        kill(demo.processIdentifier, SIGKILL)
        demo.waitUntilExit()
        XCTAssertTrue(members.contains { kill($0, 0) == 0 }, "the killed demo's lab processes outlive it")

        let out = try runMptop(["demo", "--cleanup"])
        XCTAssertEqual(out.status, 0, out.stderr)
        for n in names {
            XCTAssertTrue(out.stdout.contains(n), out.stdout)
            XCTAssertNil(NetworkNamespaceHandle.identity(named: n), "\(n) is left")
        }
        let gone = waitUntil(timeout: 2) { members.allSatisfy { kill($0, 0) != 0 } }
        XCTAssertTrue(gone, "processes of the dead lab are left")
        XCTAssertTrue(bystander.isRunning, "a process outside the lab was killed")
    }

    func testCleanupStaleRemovesADeadRunsMarkedNamespaceOnlyWhileItIsTheOneRecorded() throws {
        try skipUnlessLabAvailable()
        let markers = try markerDirectory()
        let (name, shell) = try labLikeNamespace()
        let stem = String(name.dropLast(4))
        var marker = LabMarker(stem: stem, owner: try deadOwner(),
                               namespaces: [.init(name: name, identity: try XCTUnwrap(NetworkNamespaceHandle.identity(named: name)))])
        // The name now points at another namespace than the one recorded: not the dead run's.
        try ShellCommand.check("ip", ["netns", "delete", name])
        try ShellCommand.check("ip", ["netns", "add", name])
        try marker.write(in: markers)
        XCTAssertEqual(Lab.cleanupStale(markers: markers), [])
        XCTAssertNotNil(NetworkNamespaceHandle.identity(named: name))
        XCTAssertTrue(shell.isRunning, "the shell is in the first namespace, which has no name now")

        // Recorded as it is now, by a run that is alive in another pid namespace: kept too.
        let sleeper = Process()
        sleeper.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        sleeper.arguments = ["--pid", "--fork", "sleep", "60"]
        try sleeper.run()
        addTeardownBlock { if sleeper.isRunning { kill(sleeper.processIdentifier, SIGKILL) } }
        var otherPidNamespace: NamespaceIdentity?
        _ = waitUntil(timeout: 5) {
            let child = (try? ShellCommand.check("pgrep", ["-P", String(sleeper.processIdentifier)]))?
                .split(separator: "\n").first.flatMap { Int32($0) }
            otherPidNamespace = child.flatMap { NamespaceIdentity.of(path: "/proc/\($0)/ns/pid") }
            return otherPidNamespace != nil && otherPidNamespace != marker.owner.pidNamespace
        }
        marker = LabMarker(stem: stem, owner: try deadOwner(pidNamespace: try XCTUnwrap(otherPidNamespace), pid: 1),
                           namespaces: [.init(name: name, identity: try XCTUnwrap(NetworkNamespaceHandle.identity(named: name)))])
        try marker.write(in: markers)
        XCTAssertEqual(Lab.cleanupStale(markers: markers), [])
        XCTAssertNotNil(NetworkNamespaceHandle.identity(named: name))

        // Dead in this pid namespace and still the namespace recorded: removed, marker and all.
        marker = LabMarker(stem: stem, owner: try deadOwner(), namespaces: marker.namespaces)
        try marker.write(in: markers)
        let lab = try makeLab()
        XCTAssertEqual(Lab.cleanupStale(markers: markers), [name])
        XCTAssertNil(NetworkNamespaceHandle.identity(named: name))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: markers), [])
        XCTAssertNotNil(NetworkNamespaceHandle.identity(named: lab.clientNamespace), "a live lab must survive cleanupStale")
        Lab.cleanupStale()
        XCTAssertNotNil(NetworkNamespaceHandle.identity(named: lab.clientNamespace), "a live lab must survive cleanupStale")
    }
}
