import Foundation
@testable import MPTCPKit
import XCTest

/// The undo journal as a file root acts on: only what mptop writes is read back, it is written
/// privately and never through a symlink, and only dead runs' journals are taken over.
final class JournalTests: XCTestCase {
    private var dir = ""

    override func setUpWithError() throws {
        dir = temporaryDirectory("mptop-journal-test")
    }

    /// A journal as a run with pid `pid` (dead: above the kernel's pid limit) would leave it.
    private func deadRunJournal(steps: [String], pid: Int32 = 99_999_999, serial: String = "1f",
                                netns: NamespaceIdentity? = nil) throws -> (name: String, text: String) {
        let stamp = ProcessStamp(pid: pid, startTicks: 1, pidNamespace: try NamespaceIdentity.current(.pid),
                                 boot: try XCTUnwrap(ProcessStamp.bootID()))
        let lines = ["mptop-journal 2"] + stamp.lines
            + ["netns \(try netns ?? NamespaceIdentity.current())", "netns-cookie -", "namespace lab", "what failover backup on cell0"]
            + steps.map { "undo " + $0 }
        return ("journal-\(pid)_\(serial).txt", lines.joined(separator: "\n") + "\n")
    }

    private func put(_ name: String, _ text: String, mode: mode_t = 0o600) throws {
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        XCTAssertEqual(chmod(path, mode), 0)
    }

    private func leftovers() throws -> (entries: [JournalEntry], notes: [String]) {
        var notes: [String] = []
        let d = try XCTUnwrap(try PrivateDirectory.open(dir, create: false))
        let entries = JournalRecovery.leftovers(in: d) { notes.append($0) }
        return (entries, notes)
    }

    func testUndoStepsParseOnlyWhatMptopWrites() {
        for bad in ["nft-table filter;flush\truleset", "nft-table filter", "nft-table mptop_failover_1", "nft-table mptop_failover_1_1F",
                    "nft-table mptop_failover_+1_1f", "nft-table mptop_failover_1_1234567", "endpoint-flags 0 6", "endpoint-flags 1 -4",
                    "endpoint-flags +1 6", "endpoint-flags 01 6", "subflow-backup abc 198.18.2.1:4000 198.18.0.1:5201 2",
                    "subflow-backup 0abc 198.18.2.1:4000 198.18.0.1:5201 1", "create-subflow abc 198.18.2.1 -1 198.18.0.1:5201",
                    "create-subflow abc 198.018.2.1 3 198.18.0.1:5201", "endpoint-flags  1 6"] {
            XCTAssertNil(UndoStep(line: bad), bad)
        }
        XCTAssertEqual(UndoStep(line: "nft-table mptop_failover_4242_1f"), .deleteNftTable("mptop_failover_4242_1f"))
        // Checked again when performed: a step made in code is no more trusted than one read.
        XCTAssertThrowsError(try UndoStep.deleteNftTable("filter;flush ruleset").perform()) {
            XCTAssertTrue("\($0)".contains("refusing"), "\($0)")
        }
        let run = ActionRunID.make()
        XCTAssertEqual(NftBlackhole.run(ofTable: NftBlackhole.tableName(for: run)), run)
    }

    func testLeftoverJournalsOfDeadRunsAreFoundAndLiveOnesAreNot() throws {
        let live = ActionJournal(namespace: "lab", what: "failover blackhole on wifi0", run: ActionRunID.make(), directory: dir)
        try live.record(.deleteNftTable(NftBlackhole.tableName(for: live.run)))
        let dead = try deadRunJournal(steps: ["endpoint-flags 1 6"])
        try put(dead.name, dead.text)
        let (found, notes) = try leftovers()
        XCTAssertEqual(found.map(\.run.pid), [99_999_999], "only the dead run's journal")
        XCTAssertEqual(found.first?.namespace, "lab")
        XCTAssertEqual(found.first?.networkNamespace, try NamespaceIdentity.current())
        XCTAssertEqual(found.first?.steps, [.endpointFlags(id: 1, flags: 6)])
        XCTAssertEqual(notes, [])
        try live.forget(.deleteNftTable(NftBlackhole.tableName(for: live.run)))
        XCTAssertFalse(FileManager.default.fileExists(atPath: live.path), "an empty journal is deleted")
    }

    func testJournalsAreWrittenPrivatelyAndNeverThroughASymlink() throws {
        let victim = dir + ".victim"
        try "precious\n".write(toFile: victim, atomically: false, encoding: .utf8)
        addTeardownBlock { unlink(victim) }
        let journal = ActionJournal(namespace: nil, what: "failover blackhole on wifi0\u{1b}[2J", run: ActionRunID.make(), directory: dir)
        // Both the journal's name and the temporary file it is renamed from point at the victim.
        XCTAssertEqual(symlink(victim, journal.path), 0)
        XCTAssertEqual(symlink(victim, "\(dir)/.\(journal.fileName).\(getpid()).new"), 0)
        try journal.record(.deleteNftTable(NftBlackhole.tableName(for: journal.run)))
        XCTAssertEqual(try String(contentsOfFile: victim, encoding: .utf8), "precious\n")
        var st = stat()
        XCTAssertEqual(lstat(journal.path, &st), 0)
        XCTAssertEqual(st.st_mode & S_IFMT, S_IFREG, "the symlink was replaced, not followed")
        XCTAssertEqual(st.st_mode & 0o777, 0o600)
        let text = try String(contentsOfFile: journal.path, encoding: .utf8)
        XCTAssertTrue(text.contains("what failover blackhole on wifi0?[2J\n"), "no control characters: \(text)")
        XCTAssertEqual(try JournalEntry(fileName: journal.fileName, text: text).steps, journal.steps)
    }

    func testJournalsThatMptopCannotHaveWrittenAreIgnoredWithAReason() throws {
        let exploit = "mptop-journal 1\npid 99999999\nnamespace -\nwhat x\nundo nft-table filter;flush\truleset\n"
        try put("journal-host-99999999.txt", exploit)
        let foreignTable = try deadRunJournal(steps: ["nft-table mptop_failover_1234_1f"], serial: "2f")
        try put(foreignTable.name, foreignTable.text)
        let loose = try deadRunJournal(steps: ["endpoint-flags 1 6"], serial: "3f")
        try put(loose.name, loose.text, mode: 0o644)
        let linked = try deadRunJournal(steps: ["endpoint-flags 1 6"], serial: "4f")
        try put("elsewhere", linked.text)
        XCTAssertEqual(symlink(dir + "/elsewhere", dir + "/" + linked.name), 0)
        let extra = try deadRunJournal(steps: ["endpoint-flags 1 6"], serial: "5f")
        try put(extra.name, extra.text + "run sh -c reboot\n")
        let (found, notes) = try leftovers()
        XCTAssertEqual(found.count, 0, "\(found)")
        XCTAssertEqual(notes.count, 5, notes.joined(separator: "\n"))
        for (fragment, why) in [("journal-host-99999999.txt: not a journal name", "name"), ("_2f.txt: line 10 names another run's table", "table"),
                                ("_3f.txt: owned by uid", "mode"), ("_4f.txt: a symlink", "symlink"), ("_5f.txt: line 11 is not", "extra line")] {
            XCTAssertTrue(notes.contains { $0.contains(fragment) }, "\(why): \(notes)")
        }
        if geteuid() == 0 {
            let other = try deadRunJournal(steps: ["endpoint-flags 1 6"], serial: "6f")
            try put(other.name, other.text)
            XCTAssertEqual(chown(dir + "/" + other.name, 65534, 65534), 0)
            XCTAssertTrue(try leftovers().notes.contains { $0.contains("_6f.txt: owned by uid 65534") })
        }
    }

    func testADirectoryOthersCanWriteIsNotUsed() throws {
        XCTAssertEqual(chmod(dir, 0o755), 0)
        XCTAssertThrowsError(try PrivateDirectory.open(dir, create: false)) { XCTAssertTrue("\($0)".contains("mode 0700"), "\($0)") }
        XCTAssertThrowsError(try ActionJournal.checkDirectory(dir))
        let link = dir + ".link"
        XCTAssertEqual(chmod(dir, 0o700), 0)
        XCTAssertEqual(symlink(dir, link), 0)
        addTeardownBlock { unlink(link) }
        XCTAssertThrowsError(try PrivateDirectory.open(link, create: false)) { XCTAssertTrue("\($0)".contains("symlink"), "\($0)") }
        guard Privileges.hasNetAdmin() else { return }
        XCTAssertEqual(chmod(dir, 0o755), 0)
        var notes: [String] = []
        XCTAssertEqual(try JournalRecovery.atStart(readOnly: false, directory: dir) { notes.append($0) }, 0)
        XCTAssertEqual(notes.count, 1)
        XCTAssertTrue(notes.first?.hasPrefix("mptop: undo journals not read: will not use \(dir)") == true, "\(notes)")
    }

    func testReadOnlyNamesLeftoversInOneLineAndChangesNothing() throws {
        try XCTSkipUnless(Privileges.hasNetAdmin(), "recovery only runs with CAP_NET_ADMIN")
        // A step that would fail loudly if performed: endpoint 255 does not exist.
        let dead = try deadRunJournal(steps: ["endpoint-flags 255 6"])
        try put(dead.name, dead.text)
        var notes: [String] = []
        XCTAssertEqual(try JournalRecovery.atStart(readOnly: true, directory: dir) { notes.append($0) }, 0)
        XCTAssertEqual(notes.count, 1, "\(notes)")
        XCTAssertTrue(notes.first?.contains("--readonly changes nothing: run mptop without --readonly to restore them") == true, "\(notes)")
        XCTAssertTrue(notes.first?.contains("failover backup on cell0") == true, "\(notes)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/" + dead.name), "the journal stays")
    }

    func testStampsTellALiveProcessFromADeadOrReusedPid() throws {
        let me = try ProcessStamp.current()
        XCTAssertEqual(me.liveness, .alive)
        XCTAssertEqual(ProcessStamp(lines: ArraySlice(me.lines)), me)
        let reused = ProcessStamp(pid: me.pid, startTicks: me.startTicks + 1, pidNamespace: me.pidNamespace, boot: me.boot)
        XCTAssertEqual(reused.liveness, .dead, "same pid, later process")
        let rebooted = ProcessStamp(pid: me.pid, startTicks: me.startTicks, pidNamespace: me.pidNamespace, boot: "00000000-0000-0000-0000-000000000000")
        XCTAssertEqual(rebooted.liveness, .dead)
        let elsewhere = ProcessStamp(pid: me.pid, startTicks: me.startTicks, pidNamespace: NamespaceIdentity(device: me.pidNamespace.device, inode: 1),
                                     boot: me.boot)
        XCTAssertNotEqual(elsewhere.liveness, .alive, "a pid of another pid namespace is not this process")
    }
}
