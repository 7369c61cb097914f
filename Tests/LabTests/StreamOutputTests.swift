import Foundation
import LabKit
import XCTest

/// A back-to-back stream (`--interval 0`) writes each report on a thread of its own while the
/// next sample is taken: the reports still come out whole, in order and exactly --count of
/// them, and a reader that goes away still ends mptop with one line and exit 1.
final class StreamOutputTests: XCTestCase {
    func testBackToBackJSONIsEveryReportWholeAndInOrder() throws {
        let lab = try makeLab()
        let session = try TrafficSession(lab: lab, connections: 20)
        _ = try session.waitForSubflows(2)
        let output = try runMptop(["--json", "--interval", "0", "--count", "30", "--netns", lab.clientNamespace])
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(output.stderr, "")
        XCTAssertTrue(output.stdout.hasSuffix("}\n"), "the last report ends the output")
        let lines = output.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        XCTAssertEqual(lines.count, 30)
        var times: [Double] = []
        for line in lines {
            let report = try JSONObject(parsing: String(line))
            XCTAssertEqual(report.objects("connections").count, 20, "a report cut short or mixed with another")
            times.append(try XCTUnwrap(report.number("time")))
        }
        XCTAssertEqual(times, times.sorted(), "reports out of order")
    }

    func testBackToBackTableIsExactlyCountReports() throws {
        let lab = try makeLab()
        let session = try TrafficSession(lab: lab, connections: 5)
        _ = try session.waitForSubflows(2)
        let output = try runMptop(["--interval", "0", "--count", "12", "--netns", lab.clientNamespace])
        XCTAssertEqual(output.status, 0, output.stderr)
        let headers = output.stdout.split(separator: "\n").filter { $0.hasPrefix("MPTCP in namespace ") }
        XCTAssertEqual(headers.count, 12, output.stdout)
        XCTAssertTrue(headers.allSatisfy { $0.contains(": 5 connections, 10 subflows") }, "\(headers)")
    }

    func testBackToBackStreamEndsWhenItsReaderGoes() throws {
        let lab = try makeLab()
        for mode in [["--json"], []] {
            let started = Date()
            let script = #"timeout -s KILL 12 "$MPTOP" "$@" --interval 0 --netns "$NS" | head -c 100 >/dev/null; exit "${PIPESTATUS[0]}""#
            let out = try ShellCommand.run("env", ["NS=\(lab.clientNamespace)", "MPTOP=\(try mptopPath())", "bash", "-c", script, "bash"] + mode,
                                           timeout: 15)
            XCTAssertLessThan(Date().timeIntervalSince(started), 5, "\(mode): ran on with nobody reading")
            XCTAssertEqual(out.status, 1, "\(mode): \(out.stderr)")
            XCTAssertEqual(out.stderr, "mptop: cannot write to stdout: Broken pipe\n", "\(mode)")
        }
    }
}
