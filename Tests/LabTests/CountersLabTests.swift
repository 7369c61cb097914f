import Foundation
import LabKit
import MPTCPKit
import XCTest

/// The MPTcpExt counters mptop reads against /proc/net/netstat read directly in the namespace.
final class CountersLabTests: XCTestCase {
    /// `ip netns exec NS cat /proc/net/netstat`, parsed.
    private func direct(_ lab: Lab) throws -> MPTCPCounters {
        try XCTUnwrap(MPTCPCounters.parse(netstat: try lab.run(in: lab.clientNamespace, "cat", ["/proc/net/netstat"])))
    }

    /// `name=value` per counter, so a mismatch reads as a short list.
    private func text(_ c: MPTCPCounters) -> [String] { c.entries.map { "\($0.name)=\($0.value)" } }

    /// Reads the counters on a second thread that entered the namespace: the dashboard samples
    /// off the main thread, and /proc/self/net would show the main thread's namespace there.
    private func readOnAnotherThread(_ namespace: String) throws -> MPTCPCounters {
        final class Box: @unchecked Sendable { var result: Result<MPTCPCounters, Error>? }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.result = Result { try NetworkNamespace.enter(namespace); return try MPTCPCounters.read() }
            done.signal()
        }
        thread.start()
        done.wait()
        return try XCTUnwrap(box.result).get()
    }

    func testDeltasMatchTheFileReadDirectly() throws {
        let lab = try makeLab()
        // Idle connections: the counters hold still between our read and the direct one.
        let session = try TrafficSession(lab: lab, sendArguments: ["--hold"])
        XCTAssertTrue(try waitUntil(timeout: 8) {
            (try mptopOnce(namespace: lab.clientNamespace).objects("connections").first?.objects("subflows").count ?? 0) == 2
        }, "the join subflow did not appear")
        _ = session

        let mine1 = try readOnAnotherThread(lab.clientNamespace)
        let file1 = try direct(lab)
        XCTAssertEqual(text(mine1), text(file1))
        XCTAssertGreaterThan(mine1["MPCapableSYNTX"] ?? 0, 0, "the lab's namespace, not the host's")

        try lab.run(in: lab.clientNamespace, "ss", ["-K", "-tn", "src", LabPath.cell.clientIPv4, "dst", LabAddress.serviceIPv4])
        usleep(200_000)
        let mine2 = try readOnAnotherThread(lab.clientNamespace)
        let file2 = try direct(lab)
        XCTAssertEqual(text(mine2), text(file2))

        let changes = MPTCPCounterChange.between(mine1, mine2)
        for c in changes {
            let expected = Int64(bitPattern: (file2[c.name] ?? 0) &- (file1[c.name] ?? 0))
            XCTAssertEqual(c.delta, expected, c.name)
        }
        XCTAssertEqual(changes.first { $0.name == "MPRstTx" }?.delta, 1, "ss -K sends one MP_TCPRST")
        XCTAssertTrue(changes.first { $0.name == "MPRstTx" }?.changed ?? false)
        XCTAssertEqual(changes.first { $0.name == "MPRstTx" }?.group, .resets)
    }
}
