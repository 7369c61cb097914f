import Foundation
import LabKit
import MPTCPKit
import XCTest

/// `mptop demo --cleanup` and `Lab.cleanupStale()`: only labs that a marker proves to be a dead
/// run's of this host are removed, and no process outside their namespaces is ever killed.
final class LabCleanupTests: XCTestCase {
    /// A namespace named like a lab of this test process (whose pid is alive, so no older
    /// mptop's pattern-based cleanup running in parallel takes it), with a process in it (a
    /// shell someone opened there), deleted and killed at teardown.
    private func labLikeNamespace() throws -> (name: String, process: Process) {
        let hex = String(UInt16.random(in: 0x1000...0xffff), radix: 16)
        let name = "mptop-\(getpid())-\(hex)-cli"
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

    /// The report's case: a namespace named like a lab of a dead pid, with a shell in it and no
    /// marker. Run in a mount namespace of its own (its own /run/netns and /run/mptop), so that
    /// no other lab run on this machine can see the namespace, or be seen.
    func testCleanupLeavesANamespaceThatIsOnlyNamedLikeALabAndTheProcessInIt() throws {
        try skipUnlessLabAvailable()
        guard let unshare = ShellCommand.locate("unshare") else { throw XCTSkip("unshare (util-linux) is not installed") }
        let name = "mptop-99999999-\(String(UInt16.random(in: 0x1000...0xffff), radix: 16))-cli"
        let script = """
        set -e
        mount -t tmpfs -o mode=0755 none /run/netns
        mount -t tmpfs -o mode=0700 none /run/mptop
        ip netns add \(name)
        ip netns exec \(name) sleep 60 &
        shell=$!
        sleep 0.5
        "$0" demo --cleanup
        test -e /run/netns/\(name) && echo "namespace kept"
        kill -0 $shell && echo "shell alive"
        kill $shell
        ip netns delete \(name)
        """
        let out = try ShellCommand.run(unshare, ["--mount", "--propagation", "private", "sh", "-c", script, try mptopPath()])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertFalse(out.stdout.contains(name), out.stdout)
        XCTAssertTrue(out.stdout.contains("namespace kept"), "an unmarked namespace was deleted: \(out.stdout) \(out.stderr)")
        XCTAssertTrue(out.stdout.contains("shell alive"), "a process in an unmarked namespace was killed: \(out.stdout) \(out.stderr)")
    }

    func testCleanupStaleLeavesUnmarkedLabNamespacesOfThisHost() throws {
        try skipUnlessLabAvailable()
        let (name, shell) = try labLikeNamespace()
        Lab.cleanupStale()
        XCTAssertNotNil(NetworkNamespaceHandle.identity(named: name))
        XCTAssertTrue(shell.isRunning)
    }

    /// A real demo, SIGKILLed: its lab processes outlive it, and `demo --cleanup` removes its
    /// namespaces and kills them, and nothing else. In a mount namespace of its own, like the
    /// test above, so that no cleanup of another run on this machine can get there first.
    func testAKilledDemoIsCleanedUpAndNothingOutsideItsNamespacesIsKilled() throws {
        try skipUnlessLabAvailable()
        guard let unshare = ShellCommand.locate("unshare") else { throw XCTSkip("unshare (util-linux) is not installed") }
        let script = """
        set -e
        mount -t tmpfs -o mode=0755 none /run/netns
        mount -t tmpfs -o mode=0700 none /run/mptop
        sleep 60 & bystander=$!
        out=$(mktemp)
        "$0" demo --json --interval 0.5 >"$out" 2>&1 & demo=$!
        members=""
        # Once the demo printed a sample its lab is built and its transfer runs: the members
        # are then the lab's own processes, not a tool the build ran in a namespace for a moment.
        for i in $(seq 150); do
            members=$(for n in $(ls /run/netns); do ip netns pids $n; done)
            [ -s "$out" ] && [ $(ls /run/netns | wc -l) -eq 2 ] && [ $(echo $members | wc -w) -ge 2 ] && break
            sleep 0.1
        done
        rm -f "$out"
        echo "names: $(ls /run/netns | tr '\n' ' ')"
        kill -9 $demo; wait $demo || true
        for p in $members; do kill -0 $p 2>/dev/null && echo "outlives $p"; done
        "$0" demo --cleanup
        echo "left: $(ls /run/netns | tr '\n' ' ')"
        sleep 0.5
        for p in $members; do  # a zombie (state Z, not yet reaped by init) is dead
            state=$(sed 's/.*) //' /proc/$p/stat 2>/dev/null | cut -c1)
            [ -n "$state" ] && [ "$state" != Z ] && echo "alive $p $state"
        done
        kill -0 $bystander && echo "bystander alive"
        kill $bystander
        """
        let out = try ShellCommand.run(unshare, ["--mount", "--propagation", "private", "sh", "-c", script, try mptopPath()], timeout: 40)
        XCTAssertEqual(out.status, 0, out.stderr)
        let lines = out.stdout.split(separator: "\n").map(String.init)
        let names = (lines.first { $0.hasPrefix("names: ") } ?? "").dropFirst(7).split(separator: " ").map(String.init)
        XCTAssertEqual(names.count, 2, out.stdout)
        XCTAssertGreaterThanOrEqual(lines.filter { $0.hasPrefix("outlives ") }.count, 2, "the killed demo's lab processes outlive it: \(out.stdout)")
        let cleanup = lines.first { $0.hasPrefix("removed the namespaces") } ?? ""
        for n in names { XCTAssertTrue(cleanup.contains(n), out.stdout) }
        XCTAssertTrue(lines.contains("left: "), "namespaces left: \(out.stdout)")
        XCTAssertFalse(lines.contains { $0.hasPrefix("alive ") }, "processes of the dead lab are left: \(out.stdout)")
        XCTAssertTrue(lines.contains("bystander alive"), "a process outside the lab was killed: \(out.stdout)")
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
