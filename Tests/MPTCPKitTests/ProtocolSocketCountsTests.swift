import XCTest
@testable import MPTCPKit

/// The kernel's count of MPTCP sockets (`/proc/net/protocols`): which MPTCP dumps a sample
/// makes, and the room a first sample makes for connections.
final class ProtocolSocketCountsTests: XCTestCase {
    private let header = "protocol  size sockets  memory press maxhdr  slab module     cl co di ac io in de sh ss gs se re bi br ha uh gp em"

    private func counts(_ text: String) -> ProtocolSocketCounts.Counts? {
        Array(text.utf8).withUnsafeBytes { ProtocolSocketCounts.counts(in: $0) }
    }

    func testReadsTheMPTCPLinesSocketsColumn() {
        let text = """
        \(header)
        MPTCPv6   2064      3    9728   no       0   yes  kernel      y  y  y  n  y  y  y  y  y  y  y  y  n  n  y  y  y  n
        TCPv6     2432      7    9728   no     192   yes  kernel      y  y  y  y  y  y  y  y  y  y  y  y  n  y  y  y  y  y
        MPTCP     1936  10000    9728   no       0   yes  kernel      y  y  y  n  y  y  y  y  y  y  y  y  n  n  y  y  y  n
        TCP       2304  20000    9728   no     192   yes  kernel      y  y  y  y  y  y  y  y  y  y  y  y  n  y  y  y  y  y

        """
        XCTAssertEqual(counts(text), .init(ipv4: 10000, ipv6: 3))
    }

    /// No MPTCP line (a kernel without it), no "sockets" heading, a count that is no number or
    /// is absurd: no count, or one capped, never a trap.
    func testAnythingElseGivesNoCountOrACappedOne() {
        XCTAssertNil(counts("\(header)\nTCP 2304 20 9728 no 192 yes kernel\n"))
        XCTAssertNil(counts("protocol size\nMPTCP 1936 10\n"))
        XCTAssertNil(counts("\(header)\nMPTCP 1936 -4 9728\nMPTCPv6 2064 x\nMPTCP 1\n"))
        XCTAssertNil(counts(""))
        XCTAssertEqual(counts("\(header)\nMPTCP 1 99999999999999999999999999\nMPTCPv6 1 0\n"),
                       .init(ipv4: ProtocolSocketCounts.most, ipv6: 0))
    }

    /// One counter, read again: an IPv6 MPTCP listener opened in between is counted, under IPv6.
    func testCountsFollowTheSocketsOfItsNamespace() throws {
        guard FileManager.default.fileExists(atPath: "/proc/sys/net/mptcp") else {
            throw XCTSkip("no MPTCP in this kernel (/proc/sys/net/mptcp missing)")
        }
        let counter = ProtocolSocketCounts()
        let before = try XCTUnwrap(counter.read(), "/proc/thread-self/net/protocols names MPTCP")
        let listener = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 262)
        guard listener >= 0 else { throw XCTSkip("no MPTCP sockets here (net.mptcp.enabled = 0?)") }
        defer { close(listener) }
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_addr = in6addr_loopback
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
        }
        XCTAssertEqual(bound, 0)
        XCTAssertEqual(listen(listener, 1), 0)
        let listening = try XCTUnwrap(counter.read())
        XCTAssertEqual(listening.ipv6, before.ipv6 + 1, "an IPv6 MPTCP listener is counted (other tests' sockets may come and go)")
        XCTAssertEqual(listening.ipv4, before.ipv4)
    }
}
