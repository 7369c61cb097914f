import LabKit
import XCTest

/// The traffic generator's JSON lines byte for byte (README, "mptop traffic"; scripts and the
/// lab tests read them), with a name that needs escaping and every optional field.
final class TrafficEventTests: XCTestCase {
    func testJSONLines() {
        let cases: [(TrafficEvent, String)] = [
            (.listening(address: "198.18.0.1:5201"), #"{"event":"listening","address":"198.18.0.1:5201"}"#),
            (.closed(peer: "198.18.1.2:40000", bytesReceived: 16, intact: true, problem: nil, error: nil),
             #"{"event":"closed","peer":"198.18.1.2:40000","bytes_received":16,"intact":true}"#),
            (.closed(peer: "[fd00::2]:40000", bytesReceived: 0, intact: false, problem: "byte 3 \"x\"\n", error: "reset\u{1b}"),
             #"{"event":"closed","peer":"[fd00::2]:40000","bytes_received":0,"intact":false,"problem":"byte 3 \"x\"\n","error":"reset\u001b"}"#),
            (.progress(open: 2, bytesReceived: 18_446_744_073_709_551_615, intact: true),
             #"{"event":"progress","open":2,"bytes_received":18446744073709551615,"intact":true}"#),
            (.progress(open: 0, bytesReceived: 7, intact: false, problem: "bad", badOffset: 5),
             #"{"event":"progress","open":0,"bytes_received":7,"intact":false,"problem":"bad","bad_offset":5}"#),
            (.summary(connections: 1, bytesReceived: 9, intact: true),
             #"{"event":"summary","connections":1,"bytes_received":9,"intact":true}"#),
            (.summary(connections: 3, bytesReceived: 9, intact: false, problem: "short"),
             #"{"event":"summary","connections":3,"bytes_received":9,"intact":false,"problem":"short"}"#),
            (.connected(connections: 4), #"{"event":"connected","connections":4}"#),
            (.done(bytesSent: 1024), #"{"event":"done","bytes_sent":1024}"#),
        ]
        for (event, line) in cases { XCTAssertEqual(event.json, line) }
    }
}
