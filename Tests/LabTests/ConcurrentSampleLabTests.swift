import Foundation
import LabKit
@testable import MPTCPKit
import XCTest

/// A sample that receives its dumps and looks up owners on threads of its own (the default)
/// sees what the same sample on one thread sees: connections, subflows, shares and owners.
final class ConcurrentSampleLabTests: XCTestCase {
    func testTheConcurrentSampleMatchesTheSampleOnOneThread() throws {
        let lab = try makeLab()
        let session = try TrafficSession(lab: lab, connections: 3)
        _ = try session.waitForSubflows(2)
        let home = try NetworkNamespace.Saved()
        try NetworkNamespace.enter(lab.clientNamespace)
        defer { try? home.restore() }

        var options = Sampler.Options(processes: true)
        let concurrent = try Sampler(options: options).sampleWithoutRates()
        options.concurrent = false
        let oneThread = try Sampler(options: options).sampleWithoutRates()
        _ = try session.finish()

        XCTAssertEqual(concurrent.connections.count, 3)
        XCTAssertEqual(concurrent.subflowCount, 6)
        XCTAssertEqual(concurrent.connections.compactMap(\.process).count, 3, "every connection's owner found by the scan on its own thread")
        XCTAssertEqual(shape(concurrent), shape(oneThread))
        XCTAssertEqual(concurrent.listeners.map(\.inode).sorted(), oneThread.listeners.map(\.inode).sorted())

        func shape(_ s: Snapshot) -> [UInt64: String] {
            Dictionary(uniqueKeysWithValues: s.connections.map { c in
                (c.cookie, "\(c.local)>\(c.remote) token:\(tokenText(c.token)) owner:\(c.process?.pid ?? 0) \(c.process?.name ?? "-") "
                    // Names only, sorted: the two samples are taken one after the other on live
                    // traffic, so which interface carries more can change between them.
                    + "shares:\(c.interfaceShares.map(\.name).sorted()) "
                    + c.subflows.map { "\($0.cookie) \($0.local)>\($0.remote) \($0.interfaceName ?? "-") cc:\($0.congestion ?? "-")" }.joined(separator: ", "))
            })
        }
    }
}
