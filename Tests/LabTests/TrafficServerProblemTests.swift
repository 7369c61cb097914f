import Foundation
import LabKit
import MPTCPKit
import XCTest

/// What `mptop traffic serve` says about a stream with a wrong byte: its live reports and its
/// close and summary name the connection, the first wrong byte's offset and what was expected
/// and received there, so a "CORRUPTED" explains itself.
final class TrafficServerProblemTests: XCTestCase {
    func testWrongByteIsReportedWithOffsetExpectedAndReceived() throws {
        let lab = try makeLab(LabOptions(wifiRate: nil, cellRate: nil))
        let server = try lab.spawn(in: lab.serverNamespace, executable: try mptopPath(),
                                   arguments: ["traffic", "serve", "--listen", "\(LabAddress.serviceIPv4):5201", "--json", "--progress", "0.2"])
        XCTAssertNotNil(server.waitForLine(containing: #""event":"listening""#, timeout: 10), server.diagnosis)

        // The pattern of seed 77 with byte 1016 (the pattern's byte 1000) flipped.
        var stream = [UInt8](repeating: 0, count: 4096)
        stream.withUnsafeMutableBytes { TrafficPattern.fill($0, streamOffset: 0, seed: 77) }
        let expected = stream[1016]
        stream[1016] ^= 0xFF
        let fd = try inNamespace(lab.clientNamespace) { try Self.connectAndSend(stream, to: LabAddress.serviceIPv4, port: 5201) }
        let detail = "wrong byte at stream offset 1016: expected 0x\(Self.hex(expected)), got 0x\(Self.hex(expected ^ 0xFF))"

        // While the connection is still open: the live report has the reason and the offset.
        let progress = server.waitForLine(containing: #""intact":false"#, timeout: 10)
        let live = try JSONObject(parsing: try XCTUnwrap(progress, server.diagnosis))
        XCTAssertEqual(live.string("event"), "progress")
        XCTAssertEqual(live.number("bad_offset"), 1016)
        XCTAssertTrue(live.string("problem")?.contains(detail) == true, "\(live.values)")
        XCTAssertTrue(live.string("problem")?.hasPrefix("from 198.18.1.1:") == true, "names the connection: \(live.values)")
        XCTAssertTrue(live.string("problem")?.contains("; receiver's MPTCP counters then: MPTCPRetrans ") == true,
                      "the kernel's view at that moment: \(live.values)")

        close(fd)
        XCTAssertNotNil(server.waitForLine(containing: #""event":"closed""#, timeout: 10), server.diagnosis)
        server.stop(timeout: 10)
        let events = server.lines.compactMap { try? JSONObject(parsing: $0) }
        let closed = try XCTUnwrap(events.first { $0.string("event") == "closed" })
        XCTAssertEqual(closed.bool("intact"), false)
        XCTAssertTrue(closed.string("problem")?.hasPrefix(detail) == true, "\(closed.values)")
        let summary = try XCTUnwrap(events.first { $0.string("event") == "summary" }, server.diagnosis)
        XCTAssertEqual(summary.bool("intact"), false)
        XCTAssertTrue(summary.string("problem")?.contains(detail) == true, "\(summary.values)")
    }

    /// A blocking MPTCP connection to `host:port` with all of `bytes` sent.
    private static func connectAndSend(_ bytes: [UInt8], to host: String, port: UInt16) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 262) // IPPROTO_MPTCP
        guard fd >= 0 else { throw TestFailure("socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        inet_pton(AF_INET, host, &address.sin_addr)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { close(fd); throw TestFailure("connect: \(String(cString: strerror(errno)))") }
        let sent = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == bytes.count else { close(fd); throw TestFailure("sent \(sent) of \(bytes.count) bytes") }
        return fd
    }

    private static func hex(_ byte: UInt8) -> String { (byte < 16 ? "0" : "") + String(byte, radix: 16) }
}
