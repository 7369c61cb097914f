import Foundation
import LabKit
import XCTest

/// Names other people chose reach the terminal of root running mptop with their escape
/// sequences written out, never acted on: a process name any user can set, an interface name
/// root of a container can set, input quoted in an error.
final class TerminalEscapeLabTests: XCTestCase {
    private func assertNoControls(_ text: String, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let bad = text.unicodeScalars.filter { ($0.value < 0x20 && $0 != "\n") || (0x7f...0x9f).contains($0.value) }
        XCTAssertTrue(bad.isEmpty, "\(what): control characters \(bad.map(\.value)) reach the terminal: \(text)", file: file, line: line)
    }

    /// A process holding an MPTCP connection over lo renames itself with prctl(PR_SET_NAME):
    /// the text table names it, escaped.
    func testAProcessNameWithEscapesIsPrintedEscaped() throws {
        let lab = try makeLab()
        guard let python = ShellCommand.locate("python3") else { throw XCTSkip("python3 is not installed") }
        let script = """
        import ctypes, socket, time
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262)
        s.bind(("127.0.0.1", 7100)); s.listen()
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262); c.connect(("127.0.0.1", 7100))
        a, _ = s.accept()
        ctypes.CDLL(None).prctl(15, b"\\x1b]0;x\\x07\\x1b[2J\\nroot", 0, 0, 0)
        print("ready", flush=True)
        time.sleep(30)
        """
        let holder = try lab.spawn(in: lab.clientNamespace, executable: python, arguments: ["-c", script])
        XCTAssertNotNil(holder.waitForLine(containing: "ready", timeout: 5), holder.diagnosis)
        let output = try runMptop(["--once", "--interval", "0", "--netns", lab.clientNamespace])
        XCTAssertEqual(output.status, 0, output.stderr)
        assertNoControls(output.stdout, "mptop --once")
        XCTAssertTrue(output.stdout.contains(#"\x1b]0;x\x07\x1b[2J"#), output.stdout)
    }

    /// An interface named with escapes carries an MPTCP endpoint: `mptop diagnose` lists it in
    /// the endpoint table and in the finding that it is down.
    func testAnInterfaceNameWithEscapesIsPrintedEscapedByDiagnose() throws {
        let lab = try makeLab()
        let name = "d\u{1b}[2J\u{7}"
        try ShellCommand.check("ip", ["-n", lab.clientNamespace, "link", "add", name, "type", "veth", "peer", "name", "esc-peer"])
        try ShellCommand.check("ip", ["-n", lab.clientNamespace, "addr", "add", "10.77.0.1/24", "dev", name])
        try ShellCommand.check("ip", ["-n", lab.clientNamespace, "mptcp", "endpoint", "add", "10.77.0.1", "dev", name, "subflow"])
        let output = try runMptop(["diagnose", "--netns", lab.clientNamespace])
        XCTAssertEqual(output.status, 0, output.stderr)
        assertNoControls(output.stdout, "mptop diagnose")
        XCTAssertTrue(output.stdout.contains(#"d\x1b[2J\x07 (down)"#), output.stdout)
        XCTAssertTrue(output.stdout.contains(#"is on d\x1b[2J\x07, which is down"#), output.stdout)
    }

    /// Input quoted in an error (a path, an option) comes back escaped, on one line.
    func testErrorsQuoteTheirInputEscaped() throws {
        for args in [["--theme", "/nonexistent/\u{1b}[2J\nmptop: fake"], ["--bogus\u{1b}]0;x\u{7}"]] {
            let output = try runMptop(args)
            XCTAssertNotEqual(output.status, 0)
            assertNoControls(output.stderr, "\(args)")
            XCTAssertEqual(output.stderr.split(separator: "\n").count, 1, "one line: \(output.stderr)")
        }
    }
}
