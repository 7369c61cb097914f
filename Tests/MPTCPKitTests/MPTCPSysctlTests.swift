import XCTest
@testable import MPTCPKit

/// The one "is MPTCP here?" check and the path manager read from a made-up sysctl folder.
final class MPTCPSysctlTests: XCTestCase {
    private func root(_ files: [String: String]) throws -> String {
        let dir = NSTemporaryDirectory() + "mptop-sysctl-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        for (name, value) in files { try value.write(toFile: dir + "/" + name, atomically: false, encoding: .utf8) }
        return dir
    }

    func testNoMPTCPFolderIsMPTCPMissing() throws {
        let missing = try root([:]) + "/mptcp"
        XCTAssertThrowsError(try MPTCPSysctl.mptcpEnabled(root: missing)) { error in
            guard case MPTopError.mptcpMissing = error else { return XCTFail("\(error)") }
        }
    }

    func testEnabledIsReadFromTheSysctl() throws {
        XCTAssertTrue(try MPTCPSysctl.mptcpEnabled(root: try root(["enabled": "1\n"])))
        XCTAssertFalse(try MPTCPSysctl.mptcpEnabled(root: try root(["enabled": "0\n"])))
    }

    func testPathManagerIsTypedAndAnUnknownOneIsKept() throws {
        XCTAssertEqual(MPTCPSysctl.read(root: try root(["path_manager": "userspace\n"])).pathManager, .userspace)
        XCTAssertEqual(MPTCPSysctl.read(root: try root(["pm_type": "1\n"])).pathManager, .userspace)
        XCTAssertEqual(MPTCPSysctl.read(root: try root(["pm_type": "0\n"])).pathManager, .kernel)
        let newer = MPTCPSysctl.read(root: try root(["path_manager": "bpf\n"]))
        XCTAssertEqual(newer.pathManager?.rawValue, "bpf")
        XCTAssertEqual(PathManagerKind.current(newer), .kernel, "anything but userspace is handled as in-kernel")
    }
}
