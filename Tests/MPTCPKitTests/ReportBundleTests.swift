import Foundation
@testable import MPTCPKit
@testable import Output
import XCTest

/// The parts of `mptop report` that need no kernel: the README a bundle carries, the text
/// files' sections, the streamed JSON Lines files, and the file plumbing it made safe for root
/// (a private temporary directory removed whole, an output never written over or through a
/// symlink).
final class ReportBundleTests: XCTestCase {
    private var dir = ""

    override func setUpWithError() throws {
        dir = temporaryDirectory("mptop-report-test")
    }

    func testReadmeNamesEveryFileAndWhyOthersAreMissing() {
        let manifest = ReportManifest(facts: ["made by mptop 0.1.0 at 2026-12-01 09:40:02 UTC", "namespace: lab-c"], entries: [
            .init("versions.txt", "kernel and tool versions"),
            .init("endpoints.txt", "the endpoints", .collected(note: "'ip mptcp endpoint show' exited with status 2: Error")),
            .init("events.jsonl", "path-manager events", .notCollected("subscribing to MPTCP events needs CAP_NET_ADMIN (run as root)")),
            .init("snapshots.jsonl", "snapshots"),
        ])
        let readme = manifest.render()
        let lines = readme.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(Array(lines.prefix(4)), ["mptop debug bundle", "==================",
                                                "made by mptop 0.1.0 at 2026-12-01 09:40:02 UTC", "namespace: lab-c"])
        let files = try? XCTUnwrap(lines.firstIndex(of: "Files"))
        let missing = try? XCTUnwrap(lines.firstIndex(of: "Not collected"))
        guard let files, let missing else { return XCTFail(readme) }
        // Names in one column, README.txt first; a note under its file; the missing with the reason.
        XCTAssertEqual(Array(lines[(files + 1)..<missing]), [
            "  README.txt       this file: what each file is, and what could not be collected",
            "  versions.txt     kernel and tool versions",
            "  endpoints.txt    the endpoints",
            "                   note: 'ip mptcp endpoint show' exited with status 2: Error",
            "  snapshots.jsonl  snapshots",
            "",
        ])
        XCTAssertEqual(lines[missing + 1],
                       "  events.jsonl     path-manager events: subscribing to MPTCP events needs CAP_NET_ADMIN (run as root)")
        XCTAssertTrue(readme.hasSuffix("\n"))
        XCTAssertEqual(manifest.problemLines, [
            "endpoints.txt: note: 'ip mptcp endpoint show' exited with status 2: Error",
            "events.jsonl not collected: subscribing to MPTCP events needs CAP_NET_ADMIN (run as root)",
        ])

        let complete = ReportManifest(entries: [.init("versions.txt", "versions")])
        XCTAssertTrue(complete.render().contains("Not collected\n  nothing: every file above was collected.\n"))
        XCTAssertEqual(complete.problemLines, [])
    }

    func testTextFileSectionsKeepAFailingToolsErrorAndExitStatus() {
        var f = ReportTextFile()
        f.add("mptop", "mptop 0.1.0")
        f.run("sh", ["-c", "echo out; echo err >&2; exit 3"])
        f.run("no-such-tool-mptop", ["x"])
        XCTAssertEqual(f.text, """
        # mptop
        mptop 0.1.0
        $ sh -c echo out; echo err >&2; exit 3
        out
        [error output]
        err
        [exit status 3]
        $ no-such-tool-mptop x
        [not run: no-such-tool-mptop is not installed]

        """)
        XCTAssertEqual(f.status, .collected(note: "'sh -c echo out; echo err >&2; exit 3' exited with status 3: err"))

        var missing = ReportTextFile()
        missing.run("no-such-tool-mptop", [])
        XCTAssertEqual(missing.status, .notCollected("no-such-tool-mptop not installed"))
    }

    func testJSONLinesFileIsStreamedPrivateAndDroppedWhenEmpty() throws {
        let directory = try XCTUnwrap(PrivateDirectory.open(dir, create: false))
        let file = try JSONLinesFile("a.jsonl", in: directory)
        try file.append("{\"a\":1}")
        try file.append { $0.append(contentsOf: Array("{\"b\":2}".utf8)) }
        XCTAssertTrue(try file.close())
        XCTAssertEqual(try String(contentsOfFile: dir + "/a.jsonl", encoding: .utf8), "{\"a\":1}\n{\"b\":2}\n")
        var st = stat()
        XCTAssertEqual(stat(dir + "/a.jsonl", &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o600)

        let empty = try JSONLinesFile("b.jsonl", in: directory)
        XCTAssertFalse(try empty.close())
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/b.jsonl"), "an empty stream leaves no empty file")
        XCTAssertThrowsError(try JSONLinesFile("a.jsonl", in: directory), "an existing name is never reused")
    }

    func testTemporaryDirectoryIsPrivateAndRemovedWhole() throws {
        let temporary = try PrivateDirectory.temporary(in: dir, prefix: "t.")
        var st = stat()
        XCTAssertEqual(lstat(temporary.path, &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o700)
        XCTAssertTrue(temporary.path.hasPrefix(dir + "/t."))
        let inner = try temporary.makeDirectory("bundle")
        try inner.write("x.txt", "x")
        try temporary.create("archive").close()
        XCTAssertThrowsError(try temporary.makeDirectory("bundle"))
        // A symlink put inside is removed, not followed.
        let outside = dir + "/outside"
        XCTAssertEqual(mkdir(outside, 0o700), 0)
        XCTAssertTrue(FileManager.default.createFile(atPath: outside + "/keep", contents: Data("k".utf8)))
        XCTAssertEqual(symlink(outside, inner.path + "/link"), 0)
        temporary.removeAll()
        XCTAssertFalse(FileManager.default.fileExists(atPath: temporary.path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: outside + "/keep"))
    }

    func testOutputIsNeverWrittenOverOrThroughASymlink() throws {
        let path = dir + "/out.tar.gz"
        try AtomicFile.write(Array("one".utf8), to: path, mode: 0o600, overwrite: false, leftover: .refuse)
        var st = stat()
        XCTAssertEqual(stat(path, &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o600)
        XCTAssertThrowsError(try AtomicFile.write(Array("two".utf8), to: path, mode: 0o600, overwrite: false, leftover: .refuse)) {
            XCTAssertTrue("\($0)".contains("File exists"), "\($0)")
        }
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "one")
        try AtomicFile.write(Array("two".utf8), to: path, mode: 0o600, overwrite: true, leftover: .refuse)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "two")
        XCTAssertEqual((try? FileManager.default.contentsOfDirectory(atPath: dir))?.sorted(), ["out.tar.gz"], "no temporary file is left")

        // A symlink at the output: refused up front, and the placing itself never writes through it.
        let target = dir + "/target"
        XCTAssertTrue(FileManager.default.createFile(atPath: target, contents: Data("t".utf8)))
        let link = dir + "/link.tar.gz"
        XCTAssertEqual(symlink(target, link), 0)
        XCTAssertThrowsError(try ReportBundle.check(output: link, force: true)) { XCTAssertTrue("\($0)".contains("symlink"), "\($0)") }
        XCTAssertThrowsError(try ReportBundle.check(output: path, force: false)) { XCTAssertTrue("\($0)".contains("--force"), "\($0)") }
        XCTAssertNoThrow(try ReportBundle.check(output: path, force: true))
        XCTAssertThrowsError(try ReportBundle.check(output: dir, force: true)) { XCTAssertTrue("\($0)".contains("directory"), "\($0)") }
        XCTAssertThrowsError(try ReportBundle.check(output: dir + "/missing/b.tar.gz", force: false)) {
            XCTAssertEqual("\($0)", "cannot write \(dir)/missing/b.tar.gz: No such file or directory")
        }
        XCTAssertNoThrow(try ReportBundle.check(output: dir + "/new.tar.gz", force: false))
        XCTAssertThrowsError(try AtomicFile.write(Array("x".utf8), to: link, mode: 0o600, overwrite: false, leftover: .refuse))
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "t")
    }

    /// The temporary file is made beside the output, also for a file in / (it was made in the
    /// current directory, and the final link or rename then failed across file systems).
    func testTemporaryFileIsBesideTheOutput() {
        let pid = getpid()
        XCTAssertEqual(AtomicFile.temporaryPath(beside: "/bundle.tar.gz"), "/.bundle.tar.gz.\(pid).tmp")
        XCTAssertEqual(AtomicFile.temporaryPath(beside: "/tmp/b.tar.gz"), "/tmp/.b.tar.gz.\(pid).tmp")
        XCTAssertEqual(AtomicFile.temporaryPath(beside: "b.tar.gz"), ".b.tar.gz.\(pid).tmp")
        XCTAssertNil(AtomicFile.temporaryPath(beside: "dir/"))
    }

    func testToolsDoNotGetTarOptions() throws {
        setenv("TAR_OPTIONS", "--to-command=/bin/false", 1)
        defer { unsetenv("TAR_OPTIONS") }
        let env = try XCTUnwrap(ToolRunner.locate("env"))
        let out = try ToolRunner.run(env, [])
        XCTAssertFalse(out.stdout.contains("TAR_OPTIONS"), out.stdout)
    }
}
