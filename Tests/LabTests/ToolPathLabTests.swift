import Foundation
import LabKit
import XCTest

/// mptop started as root with a hostile `PATH=.:/usr/bin` from a directory holding a fake `nft`
/// runs the real one; so do the lab's tools and what `ip netns exec` starts for them.
final class ToolPathLabTests: XCTestCase {
    /// A directory with an executable `nft` that leaves a mark when run.
    private func fakeToolDirectory() throws -> (dir: String, mark: String) {
        let dir = NSTemporaryDirectory() + "mptop-fake-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        let mark = dir + "/ran"
        XCTAssertTrue(FileManager.default.createFile(atPath: dir + "/nft", contents: Data("#!/bin/sh\ntouch \(mark)\nexit 0\n".utf8),
                                       attributes: [.posixPermissions: 0o755]))
        return (dir, mark)
    }

    /// A killed run's undo journal makes the next mptop run `nft delete table` in the lab's
    /// namespace before it does anything else.
    func testMptopRunsTheSystemsNftWhateverItsPATH() throws {
        try skipUnlessNftables()
        let lab = try makeLab()
        let (dir, mark) = try fakeToolDirectory()
        let journals = try makeJournalDirectory()
        // A killed run's table, and its journal (pid 99999999 cannot exist: that run is dead).
        let table = "mptop_failover_99999999_1f"
        _ = try lab.run(in: lab.clientNamespace, "nft", ["add", "table", "inet", table])
        try writeJournal(try deadRunJournalHeader(netns: lab.clientNamespace) + "undo nft-table \(table)\n",
                         named: "journal-99999999_1f.txt", in: journals)
        let command = "cd '\(dir)' && MPTOP_JOURNAL_DIR='\(journals)' PATH=.:/usr/bin exec '\(try mptopPath())' --once --interval 0 --netns \(lab.clientNamespace)"
        let out = try ShellCommand.run("sh", ["-c", command], timeout: 15)
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertTrue(out.stderr.contains("restored what a killed run"), out.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: mark), "./nft from PATH ran as root")
    }

    func testLabToolsAndWhatIpNetnsExecStartsUseTheSystemPATH() throws {
        let lab = try makeLab()
        let (dir, mark) = try fakeToolDirectory()
        let oldPath = getenv("PATH").map { String(cString: $0) }
        setenv("PATH", "\(dir):/usr/bin", 1)
        defer { if let oldPath { setenv("PATH", oldPath, 1) } else { unsetenv("PATH") } }
        _ = try? lab.run(in: lab.clientNamespace, "nft", ["list", "tables"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: mark), "lab.run found nft in PATH")
        let env = try lab.run(in: lab.clientNamespace, "env", [])
        XCTAssertFalse(env.contains(dir), "a tool started by ip netns exec inherits the hostile PATH: \(env)")
    }

    /// The demo runs itself again as the traffic generator: its own file, not `$MPTOP_BINARY`
    /// and not `.build/debug/mptop` under the working directory (where MptopBinary, the tests'
    /// search, looks when the binary has another name).
    func testTheDemoRunsItsOwnFileAsTheTrafficGenerator() throws {
        try skipUnlessLabAvailable()
        let (dir, mark) = try fakeToolDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/.build/debug", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: dir + "/nft", toPath: dir + "/.build/debug/mptop")
        let renamed = dir + "/mptop-renamed"
        try FileManager.default.copyItem(atPath: try mptopPath(), toPath: renamed)
        let demo = Process()
        demo.executableURL = URL(fileURLWithPath: renamed)
        demo.arguments = ["demo", "--script", "handover", "--json"]
        demo.currentDirectoryURL = URL(fileURLWithPath: dir)
        var environment = ProcessInfo.processInfo.environment
        environment["MPTOP_BINARY"] = dir + "/nft"
        demo.environment = environment
        demo.standardOutput = FileHandle.nullDevice
        demo.standardError = FileHandle.nullDevice
        try demo.run()
        // Long enough for the lab and its traffic to start; SIGTERM then removes the lab.
        _ = waitUntil(timeout: 4) { FileManager.default.fileExists(atPath: mark) || !demo.isRunning }
        if demo.isRunning { kill(demo.processIdentifier, SIGTERM) }
        demo.waitUntilExit()
        XCTAssertFalse(FileManager.default.fileExists(atPath: mark), "the demo ran a file it found by environment or working directory")
    }
}
