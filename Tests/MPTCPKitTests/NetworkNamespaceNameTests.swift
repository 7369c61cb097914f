import XCTest
@testable import MPTCPKit

/// Namespace names are checked where they enter, as `ip netns` checks them, and never echoed
/// raw: a newline or 300 characters come back as one short, escaped line.
final class NetworkNamespaceNameTests: XCTestCase {
    func testValidNamesAreFileNamesWithoutControls() {
        for name in ["mptop-1-abcd-cli", "a", "blue.green", "é", String(repeating: "x", count: 255)] {
            XCTAssertNil(NetworkNamespaceName.problem(with: name), name)
            XCTAssertEqual(NetworkNamespaceName(rawValue: name)?.rawValue, name)
        }
        let refused = ["", ".", "..", "a/b", "/run/netns/x", "a\nb", "tab\t", "\u{1b}[2J", "x\u{7f}",
                       String(repeating: "x", count: 256), String(repeating: "é", count: 128)]
        for name in refused {
            XCTAssertNotNil(NetworkNamespaceName.problem(with: name), name.debugDescription)
            XCTAssertNil(NetworkNamespaceName(rawValue: name), name.debugDescription)
        }
    }

    func testTheErrorIsOneShortEscapedLine() {
        for name in ["evil\nmptop: restored everything", String(repeating: "n", count: 300)] {
            XCTAssertThrowsError(try NetworkNamespaceName(validating: name)) { error in
                guard case MPTopError.invalidRequest(let text) = error else { return XCTFail("\(error)") }
                XCTAssertFalse(text.contains("\n"), text)
                XCTAssertLessThan(text.count, 100, text)
                XCTAssertTrue(text.hasPrefix("invalid namespace name '"), text)
            }
        }
        XCTAssertEqual(MPTopError.noSuchNamespace("a\u{1b}[2J").description, #"no network namespace named 'a\x1b[2J' (see 'ip netns list')"#)
    }

    func testEnteringRefusesABadNameBeforeOpeningAnything() {
        XCTAssertThrowsError(try NetworkNamespace.enter("../../proc/1/ns/net")) { error in
            XCTAssertEqual(error as? MPTopError, .invalidRequest("invalid namespace name '../../proc/1/ns/net': it contains '/'"))
        }
    }
}
