import Foundation
import LabKit
import XCTest

/// The command line as ArgumentParser generates it from mptop's declarations: the help of every
/// command against recorded files (`RECORD_SNAPSHOTS=1 swift test` writes them, and fails, as
/// the golden frames do), usage errors as one line, completion scripts, the man pages.
/// Needs no root.
final class CommandLineHelpTests: XCTestCase {
    /// Every command, as `mptop --experimental-dump-help` lists them (ArgumentParser's own
    /// `help` left out), so a new subcommand cannot go without a snapshot.
    func commandPaths() throws -> [[String]] {
        let dump = try runMptop(["--experimental-dump-help"])
        XCTAssertEqual(dump.status, 0, dump.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        func walk(_ command: [String: Any], _ path: [String]) -> [[String]] {
            let subs = (command["subcommands"] as? [[String: Any]] ?? []).filter { $0["commandName"] as? String != "help" }
            return [path] + subs.flatMap { walk($0, path + [$0["commandName"] as? String ?? "?"]) }
        }
        return walk(try XCTUnwrap(json["command"] as? [String: Any]), [])
    }

    func testHelpOfEveryCommandMatchesItsSnapshotAtAnyTerminalWidth() throws {
        let paths = try commandPaths()
        XCTAssertGreaterThanOrEqual(paths.count, 11, "\(paths)")
        let record = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
        for path in paths {
            let name = (["mptop"] + path).joined(separator: "-")
            var outputs: [String] = []
            for columns in ["40", "200"] {
                let out = try ShellCommand.run("/usr/bin/env", ["COLUMNS=\(columns)", try mptopPath()] + path + ["--help"])
                XCTAssertEqual(out.status, 0, "\(name): \(out.stderr)")
                XCTAssertTrue(out.stderr.isEmpty, "\(name): \(out.stderr)")
                outputs.append(out.stdout)
            }
            XCTAssertEqual(outputs[0], outputs[1], "\(name): help depends on COLUMNS")
            let url = directory.appendingPathComponent("\(name)-help.txt")
            if record {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try outputs[0].write(to: url, atomically: true, encoding: .utf8)
                XCTFail("recorded \(url.path); read the diff, then run the tests again without RECORD_SNAPSHOTS")
                continue
            }
            guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
                XCTFail("no snapshot \(url.path); record it with RECORD_SNAPSHOTS=1 swift test")
                continue
            }
            XCTAssertEqual(outputs[0], expected, "\(name) --help differs from \(url.lastPathComponent)")
        }
    }

    /// The help's dashboard keys are the key table's (the overlay's lines), not a second list;
    /// --readonly is offered once, and where it is offered it is accepted.
    func testHelpKeysComeFromTheKeyTableAndReadonlyIsOfferedOnce() throws {
        let help = try runMptop(["--help"]).stdout
        for line in ["  Up Down k j             move the selection (on a page: scroll)", "  n                       share bars: of the last 5 s, or since start"] {
            XCTAssertTrue(help.contains(line + "\n"), "missing: \(line)")
        }
        XCTAssertEqual(help.components(separatedBy: "--readonly").count - 1, 2, "the option and the PERMISSIONS text: \(help)")
        for command in [["demo"], []] {
            XCTAssertTrue(try runMptop(command + ["--help"]).stdout.contains("--readonly"), "\(command) offers --readonly")
            // Accepted: parsing goes on to the next mistake (before: demo said '--readonly').
            for args in [command + ["--readonly", "--bogus"], ["--readonly"] + command + ["--bogus"]] {
                let out = try runMptop(args)
                XCTAssertEqual(out.status, 2)
                XCTAssertTrue(out.stderr.hasPrefix("mptop: unknown option '--bogus'"), "\(args): \(out.stderr)")
            }
        }
        let actions = [["close", "--token", "abc", "--subflow", "198.18.2.1:4000", "--yes"],
                       ["backup", "--endpoint", "1", "--on", "--yes"],
                       ["failover", "--token", "abc", "--interface", "wifi0", "--mode", "blackhole", "--duration", "1", "--yes"]]
        for command in actions {
            XCTAssertTrue(try runMptop([command[0], "--help"]).stdout.contains("--readonly"), "\(command[0]) offers --readonly")
            for args in [command + ["--readonly"], ["--readonly"] + command, command + ["--read-only"]] {
                let out = try runMptop(args)
                XCTAssertEqual(out.status, 1, "\(args): \(out.stderr)")
                XCTAssertTrue(out.stderr.hasPrefix("mptop: read-only mode (--readonly): not allowed to "), "\(args): \(out.stderr)")
            }
        }
    }

    func testArgumentParsersUsageErrorsAreOneLineWithExitTwo() throws {
        let cases: [([String], String)] = [
            (["--bogus"], "mptop: unknown option '--bogus' (see 'mptop --help')\n"),
            (["diagnose", "--jsn"], "mptop: unknown option '--jsn'. Did you mean '--json'? (see 'mptop diagnose --help')\n"),
            (["close", "--subflow", "198.18.2.1:4000"], "mptop: missing expected argument '--token <TOKEN>' (see 'mptop close --help')\n"),
            (["failover", "--duration"], "mptop: --duration needs a value (see 'mptop failover --help')\n"),
            (["traffic", "send", "--connections", "many"], "mptop: --connections takes a whole number above 0, not 'many'\n"),
            (["events", "--json=yes"], "mptop: the option '--json' does not take any value, but 'yes' was specified. (see 'mptop events --help')\n"),
            (["capture", "a", "b"], "mptop: unexpected argument 'b' (see 'mptop capture --help')\n"),
            // The dashboard's options are not a subcommand's (ArgumentParser would let the root take them).
            (["diagnose", "--count", "1"], "mptop: unknown option '--count' (see 'mptop diagnose --help')\n"),
            (["--once", "capture", "/tmp"], "mptop: unexpected argument 'capture' (see 'mptop --help')\n"),
            (["--theme", "demo", "--bogus"], "mptop: unknown option '--bogus' (see 'mptop --help')\n"),
            (["traffic", "send", "--to", "198.18.0.1:1", "--bogus"], "mptop: unknown option '--bogus'. Did you mean '--bytes'? (see 'mptop traffic send --help')\n"),
            (["--unknown\u{1b}[2J"], "mptop: unknown option '--unknown\\x1b[2J' (see 'mptop --help')\n"),
            (["--generate-completion-script", "tcsh"], "mptop: can't generate completion scripts for 'tcsh'. (see 'mptop --help')\n"),
        ]
        for (args, expected) in cases {
            let out = try runMptop(args)
            XCTAssertEqual(out.status, 2, "\(args): \(out.stderr)")
            XCTAssertEqual(out.stderr, expected, "\(args)")
            XCTAssertTrue(out.stdout.isEmpty, "\(args): nothing on stdout")
        }
    }

    func testCompletionScriptsForEveryShell() throws {
        for shell in ["bash", "zsh", "fish"] {
            let out = try runMptop(["--generate-completion-script", shell])
            XCTAssertEqual(out.status, 0, "\(shell): \(out.stderr)")
            for word in ["failover", "netns", "keep-closed", "serve"] {
                XCTAssertTrue(out.stdout.contains(word), "\(shell) completes \(word)")
            }
            guard let interpreter = ShellCommand.locate(shell) else { continue }
            let file = NSTemporaryDirectory() + "mptop-completion-\(getpid()).\(shell)"
            try out.stdout.write(toFile: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: file) }
            let check = try ShellCommand.run(interpreter, ["-n", file])
            XCTAssertEqual(check.status, 0, "\(shell) -n: \(check.stderr)")
        }
        XCTAssertNotNil(ShellCommand.locate("bash"), "bash checks its script")
        // --theme completes from the themes found (ArgumentParser asks mptop itself).
        let themes = try runMptop(["---completion", "--", "--theme", "2", "0", "mptop", "--theme", ""])
        XCTAssertTrue(themes.stdout.split(separator: "\n").contains("default"), "\(themes.stdout) \(themes.stderr)")
    }

    /// Packaging/generate-docs.sh writes the files build-deb.sh installs; mdoc reads the pages
    /// without a warning.
    func testGenerateDocsWritesManPagesAndCompletions() throws {
        let bin = URL(fileURLWithPath: try mptopPath()).deletingLastPathComponent()
        let generateManual = bin.appendingPathComponent("generate-manual").path
        guard FileManager.default.isExecutableFile(atPath: generateManual) else {
            throw XCTSkip("no \(generateManual): build it first with 'swift build --product generate-manual' (.ci/run does)")
        }
        guard let groff = ShellCommand.locate("groff") else { throw XCTSkip("groff is not installed") }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let out = NSTemporaryDirectory() + "mptop-docs-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let run = try ShellCommand.run("/usr/bin/env", ["GENERATE_MANUAL=\(generateManual)", "SOURCE_DATE_EPOCH=1764547200",
                                                        root.appendingPathComponent("Packaging/generate-docs.sh").path, out, bin.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        let files = ["man/man1/mptop.1", "man/man1/mptop-exporter.1", "completions/bash/mptop", "completions/bash/mptop-exporter",
                     "completions/zsh/_mptop", "completions/zsh/_mptop-exporter", "completions/fish/mptop.fish",
                     "completions/fish/mptop-exporter.fish"]
        for file in files {
            let text = try String(contentsOfFile: "\(out)/\(file)", encoding: .utf8)
            XCTAssertFalse(text.isEmpty, file)
        }
        let page = try String(contentsOfFile: "\(out)/man/man1/mptop.1", encoding: .utf8)
        for text in [".Dt MPTOP 1", ".Dd December 1, 2025", ".Sy \"WHAT YOU SEE\"", ".Bd -literal", "q Ctrl-C", "Fl -keep-closed", "failover",
                     "-interface Ar IF"] {
            XCTAssertTrue(page.contains(text), "mptop.1 has \(text)")
        }
        for page in ["mptop.1", "mptop-exporter.1"] {
            let lint = try ShellCommand.run(groff, ["-mdoc", "-ww", "-z", "\(out)/man/man1/\(page)"])
            XCTAssertEqual(lint.status, 0, lint.stderr)
            XCTAssertEqual(lint.stderr, "", "\(page): groff's warnings")
        }
        let usage = try ShellCommand.run(root.appendingPathComponent("Packaging/generate-docs.sh").path, [out])
        XCTAssertEqual(usage.status, 2)
    }
}
