import LabKit
@testable import MPTCPKit
import XCTest

/// The IPv6 TCP dump (or, fetching one by one, the IPv6 first pass) is made only when there can
/// be IPv6 subflows (an IPv4 MPTCP socket has IPv4 subflows only), the IPv6 MPTCP dump only
/// when the kernel counts IPv6 MPTCP sockets, and the sample finds every connection and subflow
/// either way, with the dumps received on threads of their own, on one thread, and with the
/// subflows fetched one by one.
final class SubflowFamilyLabTests: XCTestCase {
    func testIPv4ConnectionsNeedNoIPv6Dump() throws {
        try check(ipv6: false, expected: [.ipv4])
    }

    func testIPv6ConnectionsGetBothDumps() throws {
        try check(ipv6: true, expected: [.ipv4, .ipv6])
    }

    private func check(ipv6: Bool, expected: [IPAddress.Family], file: StaticString = #filePath, line: UInt = #line) throws {
        let lab = try makeLab()
        let session = try TrafficSession(lab: lab, ipv6: ipv6, connections: 2)
        _ = try session.waitForSubflows(2)
        let home = try NetworkNamespace.Saved()
        try NetworkNamespace.enter(lab.clientNamespace)
        defer { try? home.restore() }
        for (concurrent, fetch) in [(true, Sampler.SubflowFetch.dump), (false, .dump), (true, .oneByOne)] {
            var options = Sampler.Options(processes: false)
            options.concurrent = concurrent
            options.subflowFetch = fetch
            let sampler = try Sampler(options: options)
            let s = try sampler.sampleWithoutRates()
            XCTAssertEqual(sampler.mptcpDumpFamilies, expected, "concurrent: \(concurrent), \(fetch)", file: file, line: line)
            XCTAssertEqual(sampler.tcpDumpFamilies, expected, "concurrent: \(concurrent), \(fetch)", file: file, line: line)
            XCTAssertEqual(s.connections.count, 2, file: file, line: line)
            XCTAssertEqual(s.subflowCount, 4, "every subflow found (concurrent: \(concurrent))", file: file, line: line)
            XCTAssertEqual(s.unmatchedSubflows, 0, file: file, line: line)
            for c in s.connections {
                XCTAssertEqual(c.info?.subflowsTotal.map(Int.init), c.subflows.count, file: file, line: line)
                XCTAssertTrue(c.subflows.allSatisfy { $0.local.address.family == (ipv6 ? .ipv6 : .ipv4) }, file: file, line: line)
            }
        }
        _ = try session.finish()
    }
}
