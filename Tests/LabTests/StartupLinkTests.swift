import LabKit
import MPTCPKit
import XCTest

/// `mptop` loads Swift's FoundationEssentials (through swift-argument-parser) but not the whole
/// Foundation with ICU: loading and binding those was about 4 ms of CPU at every start, a tenth
/// of a `--once` at 1,000 connections. Only the exporter and the benchmark link Foundation.
final class StartupLinkTests: XCTestCase {
    func testMptopDoesNotLoadFoundationOrICU() throws {
        let mptop = try MptopBinary.path()
        guard let ldd = ToolRunner.locate("ldd") else { throw XCTSkip("no ldd here (package libc-bin)") }
        let libraries = try ToolRunner.run(ldd, [mptop]).stdout
        XCTAssertTrue(libraries.contains("libswiftCore.so"), "ldd listed no Swift runtime: \(libraries)")
        XCTAssertFalse(libraries.contains("libFoundation.so"), libraries)
        XCTAssertFalse(libraries.contains("libFoundationInternationalization.so"), libraries)
        XCTAssertFalse(libraries.contains("ICU"), libraries)
    }
}
