import Foundation
import LabKit
@testable import MPTCPKit
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The busy-host way of fetching subflows (a pass without tcp_info over every TCP socket, then
/// the subflows one by one) finds exactly what the one full dump finds, plain TCP sockets aside.
final class SubflowFetchLabTests: XCTestCase {
    func testIPv4SubflowsOneByOneMatchTheDump() throws {
        try checkOneByOneMatchesTheDump(ipv6: false)
    }

    func testIPv6SubflowsOneByOneMatchTheDump() throws {
        try checkOneByOneMatchesTheDump(ipv6: true)
    }

    /// Plain TCP connections over loopback in the current namespace: `count` pairs, held open.
    private func plainConnections(_ count: Int) throws -> [Int32] {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in(sin_family: sa_family_t(AF_INET), sin_port: 0,
                                  sin_addr: in_addr(s_addr: UInt32(0x7f00_0001).bigEndian), sin_zero: (0, 0, 0, 0, 0, 0, 0, 0))
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { p in
            try p.withMemoryRebound(to: sockaddr.self, capacity: 1) { a in
                guard bind(listener, a, length) == 0, listen(listener, 16) == 0, getsockname(listener, a, &length) == 0 else {
                    throw TestFailure("loopback listener: errno \(errno)")
                }
            }
        }
        var fds = [listener]
        for _ in 0..<count {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            let ok = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, length) } }
            guard ok == 0 else { throw TestFailure("loopback connect: errno \(errno)") }
            fds += [fd, accept(listener, nil, nil)]
        }
        return fds
    }

    private func checkOneByOneMatchesTheDump(ipv6: Bool) throws {
        let lab = try makeLab()
        let session = try TrafficSession(lab: lab, ipv6: ipv6, connections: 3)
        _ = try session.waitForSubflows(2)
        let home = try NetworkNamespace.Saved()
        try NetworkNamespace.enter(lab.clientNamespace)
        defer { try? home.restore() }
        let plain = try plainConnections(20)
        defer { plain.forEach { close($0) } }

        var options = Sampler.Options(processes: false)
        options.subflowFetch = .dump
        let dumped = try Sampler(options: options).sampleWithoutRates()
        options.subflowFetch = .oneByOne
        let oneByOne = try Sampler(options: options)
        let requested = try oneByOne.sampleWithoutRates()
        XCTAssertFalse(oneByOne.skippedFirstPass)
        // Nothing changed: the second sample asks for the subflows it knows, without the first pass.
        let again = try oneByOne.sampleWithoutRates()
        XCTAssertTrue(oneByOne.skippedFirstPass, "6.18 reports mptcpi_subflows_total, so the known subflows add up")
        // A subflow closes: the totals change, and the sample takes the long way again.
        let victim = try XCTUnwrap(again.connections.first { $0.subflows.count == 2 }?.subflows.last)
        try SubflowCloser().destroy(victim)
        let afterClose = try oneByOne.sampleWithoutRates()
        XCTAssertFalse(oneByOne.skippedFirstPass)
        options.subflowFetch = .dump
        let dumpedAfterClose = try Sampler(options: options).sampleWithoutRates()
        _ = try session.finish()
        XCTAssertEqual(afterClose.subflowCount, 5)
        XCTAssertEqual(shape(afterClose), shape(dumpedAfterClose))

        func shape(_ s: Snapshot) -> [UInt64: [UInt64: String]] {
            Dictionary(uniqueKeysWithValues: s.connections.map { c in
                (c.cookie, Dictionary(uniqueKeysWithValues: c.subflows.map { sf in
                    (sf.cookie, "\(sf.local)>\(sf.remote) tcp:\(sf.tcp != nil) token:\(sf.ulp?.tokenLocal ?? 0) cc:\(sf.congestion ?? "-")")
                }))
            })
        }
        XCTAssertEqual(dumped.connections.filter { $0.state == .established }.count, 3)
        XCTAssertEqual(dumped.subflowCount, 6)
        XCTAssertEqual(shape(requested), shape(dumped))
        XCTAssertEqual(shape(again), shape(dumped))
        XCTAssertTrue(requested.connections.allSatisfy { $0.subflows.allSatisfy { $0.tcp?.rtt != nil && $0.ulp != nil } })
        XCTAssertEqual(requested.unmatchedSubflows, dumped.unmatchedSubflows)
    }
}
