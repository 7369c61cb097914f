import Foundation
import LabKit
@testable import MPTCPKit
import XCTest

/// The owning process of each connection, as `mptop --once` reports it (the BPF iterator, where
/// it can run), is the one `ss -p` finds by scanning /proc, and the one mptop's own /proc scan finds.
final class OwnerLabTests: XCTestCase {
    func testOwnersAreThoseSSFinds() throws {
        let lab = try makeLab()
        let session = try TrafficSession(lab: lab, connections: 3)
        _ = try session.waitForSubflows(2)
        let ss = try ShellCommand.check("ss", ["-N", lab.clientNamespace, "-Mnp"])
        let report = try mptopOnce(namespace: lab.clientNamespace)
        let namespace = try XCTUnwrap(NamespaceIdentity.of(path: "/run/netns/\(lab.clientNamespace)"))
        let connections = report.objects("connections").filter { $0.string("state") == "ESTAB" }
        let inodes = connections.compactMap { $0.number("inode").map { UInt32($0) } }
        let procOnly = ProcessTable(namespace: namespace, way: .procOnly).owners(of: inodes, now: 0)
        let iteratorTable = ProcessTable(namespace: namespace, way: .iteratorWherePossible)
        let byIterator = iteratorTable.owners(of: inodes, now: 0)
        _ = try session.finish()

        // "ESTAB 0 0 198.18.1.1:47878 198.18.0.1:5201 users:(("mptop",pid=3695,fd=2571))"
        var ssOwners: [String: (name: String, pid: Int)] = [:]
        for line in ss.split(separator: "\n") where line.hasPrefix("ESTAB") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, let users = fields.last, users.hasPrefix("users:((\""),
                  let nameEnd = users.dropFirst(9).firstIndex(of: "\""),
                  let pidStart = users.range(of: ",pid=")?.upperBound else { continue }
            let pid = Int(users[pidStart...].prefix { $0.isNumber })
            ssOwners["\(fields[3])>\(fields[4])"] = (String(users[users.index(users.startIndex, offsetBy: 9)..<nameEnd]), pid ?? 0)
        }
        XCTAssertEqual(connections.count, 3)
        XCTAssertEqual(ssOwners.count, 3, "ss -Mnp should name the owner of the 3 connections:\n\(ss)")
        for c in connections {
            let key = "\(c.string("local") ?? "?")>\(c.string("remote") ?? "?")"
            let process = JSONObject(c["process"] as? [String: Any] ?? [:])
            XCTAssertEqual(process.number("pid").map(Int.init), ssOwners[key]?.pid, key)
            XCTAssertEqual(process.string("name"), ssOwners[key]?.name, key)
            let inode = UInt32(c.number("inode") ?? 0)
            XCTAssertEqual(procOnly[inode]?.pid, ssOwners[key].map { Int32($0.pid) }, "\(key): mptop's /proc scan")
            XCTAssertEqual(byIterator[inode], procOnly[inode], "\(key): the iterator and the /proc scan")
        }
        if geteuid() == 0 && access(KernelBTF.vmlinuxPath, R_OK) == 0 {
            XCTAssertTrue(iteratorTable.lastScanUsedIterator, "root on a kernel with BTF: \(iteratorTable.iteratorUnavailableReason ?? "-")")
        }
    }
}
