import Foundation
import XCTest
@testable import MPTCPKit

/// Tools run as root come from the system's directories, never from an inherited `$PATH`, and
/// run with that same safe PATH themselves.
final class ToolSearchTests: XCTestCase {
    /// A directory holding an executable `nft` that is not nftables, made the working
    /// directory, with `PATH=.:DIR:/usr/bin` for the duration of the test.
    private func poisonedPath() throws -> String {
        let dir = NSTemporaryDirectory() + "mptop-path-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        XCTAssertTrue(FileManager.default.createFile(atPath: dir + "/nft", contents: Data("#!/bin/sh\nexit 0\n".utf8),
                                       attributes: [.posixPermissions: 0o755]))
        let oldPath = getenv("PATH").map { String(cString: $0) }
        let oldDirectory = FileManager.default.currentDirectoryPath
        setenv("PATH", ".:\(dir):/usr/bin", 1)
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(dir))
        addTeardownBlock {
            if let oldPath { setenv("PATH", oldPath, 1) } else { unsetenv("PATH") }
            _ = FileManager.default.changeCurrentDirectoryPath(oldDirectory)
            try? FileManager.default.removeItem(atPath: dir)
        }
        return dir
    }

    func testLocateIgnoresPATHAndRelativePaths() throws {
        let dir = try poisonedPath()
        let nft = ToolRunner.locate("nft")
        XCTAssertNotEqual(nft, "./nft")
        XCTAssertNotEqual(nft, dir + "/nft")
        if let nft { XCTAssertTrue(ToolRunner.systemDirectories.contains { nft == $0 + "/nft" }, nft) }
        XCTAssertNil(ToolRunner.locate("./nft"), "a relative path is not a tool")
        XCTAssertNil(ToolRunner.locate(""))
        XCTAssertEqual(ToolRunner.locate("/bin/sh"), "/bin/sh", "an absolute path is taken as given")
    }

    func testToolsRunWithTheSystemPATH() throws {
        _ = try poisonedPath()
        let env = try XCTUnwrap(ToolRunner.locate("env"))
        let out = try ToolRunner.run(env, [])
        XCTAssertEqual(out.status, 0)
        let path = out.stdout.split(separator: "\n").first { $0.hasPrefix("PATH=") }
        XCTAssertEqual(path.map(String.init), "PATH=" + ToolRunner.systemDirectories.joined(separator: ":"))
        XCTAssertTrue(out.stdout.contains("HOME=") || getenv("HOME") == nil, "the rest of the environment is kept")
    }
}
