import XCTest
@testable import MPTCPKit
@testable import Output

/// Names mptop did not choose (a user's process name, an interface name, kernel and file text)
/// reach root's terminal with their control characters escaped, in every text output.
final class TerminalEscapeTests: XCTestCase {
    /// What `prctl(PR_SET_NAME)` lets any user call a process: retitle the window, clear the
    /// screen, and start a line of its own.
    static let hostileName = "\u{1b}]0;pwn\u{7}\u{1b}[2J\nroot"

    private func assertNoControls(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        let bad = text.unicodeScalars.filter { $0.isTerminalControl && $0 != "\n" }
        XCTAssertTrue(bad.isEmpty, "control characters \(bad.map { $0.value }) in: \(text)", file: file, line: line)
    }

    func testEscapingWritesEveryControlAsHexAndLeavesTheRestAlone() {
        XCTAssertEqual(Self.hostileName.escapedForTerminal, #"\x1b]0;pwn\x07\x1b[2J\x0aroot"#)
        XCTAssertEqual("tab\there\u{7f}\u{9b}31m".escapedForTerminal, #"tab\x09here\x7f\x9b31m"#)
        XCTAssertEqual("wifi0 é ▓ \\x1b".escapedForTerminal, "wifi0 é ▓ \\x1b", "printable text, backslashes included")
        XCTAssertEqual(Self.hostileName.escapedForTerminal.escapedForTerminal, Self.hostileName.escapedForTerminal,
                       "escaping twice changes nothing")
    }

    func testTextTableEscapesProcessAndInterfaceNamesAndKeepsItsLines() {
        var sf = Synthetic.subflow("198.18.1.1", 40000, cookie: 1, interface: 1, acked: 1000)
        sf.interfaceName = "wifi\u{1b}[2J"
        var s = Synthetic.snapshot(at: 1, subflows: [sf])
        s.connections[0].process = ProcessRef(pid: 42, name: Self.hostileName)
        s.connections[0].interfaceShares = [InterfaceShare(name: "wifi\u{1b}[2J", share: 1)]
        s.interfaces[0].name = "wifi\u{1b}[2J"
        s.namespace = "lab\u{7}"
        let text = SnapshotTable.render(s)
        assertNoControls(text)
        XCTAssertTrue(text.contains(#"\x1b]0;pwn\x07\x1b[2J\x0aroot[42]"#), text)
        XCTAssertTrue(text.contains(#"wifi\x1b[2J"#), text)
        var plain = s
        plain.connections[0].process = ProcessRef(pid: 42, name: "root")
        XCTAssertEqual(text.split(separator: "\n").count, SnapshotTable.render(plain).split(separator: "\n").count,
                       "a newline in a name forges no line")
    }

    func testEventLinesEscapeTheInterfaceName() {
        var e = PathManagerEvent(kind: .subflowEstablished, time: 0)
        e.token = 0xabcd
        e.interfaceName = "cell\u{1b}[2J\n"
        let line = PathManagerEventText.line(e)
        assertNoControls(line)
        XCTAssertFalse(line.contains("\n"))
        XCTAssertTrue(line.contains(#"cell\x1b[2J\x0a"#), line)
    }

    func testDiagnosisFindingsEscapeWhatTheyQuote() {
        var setup = PathManagerSetup(namespace: "ns\u{1b}[2J")
        setup.mptcpEnabled = true
        setup.pathManager = .kernel
        setup.endpoints = [PathManagerEndpoint(id: 1, address: IPAddress("198.18.2.1"), flags: .init(rawValue: 1), interfaceIndex: 3)]
        setup.endpointInterfaces = [1: 3]
        setup.links = [InterfaceTable.Link(index: 3, name: "eth\u{1b}[2J\u{7}", up: false, loopback: false, running: false)]
        let text = DiagnosisText.render(Diagnosis(setup: setup))
        assertNoControls(text)
        XCTAssertTrue(text.contains(#"is on eth\x1b[2J\x07, which is down"#), text)
        XCTAssertTrue(text.contains(#"namespace 'ns\x1b[2J'"#), text)
    }

    func testJSONEscapesC1ControlsToo() {
        XCTAssertEqual(JSONWriter.quoted("a\u{9b}2J\u{7f}"), #""a\u009b2J\u007f""#)
    }
}
