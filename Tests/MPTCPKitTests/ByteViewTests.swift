import XCTest
import MPTCPKit

final class ByteViewTests: XCTestCase {
    /// The in-place name check agrees with decoding the name: NUL-terminated, unterminated,
    /// longer, shorter, empty.
    func testHoldsCStringAgreesWithCString() {
        for bytes: [UInt8] in [Array("mptcp".utf8), Array("mptcp".utf8) + [0], Array("mptcp".utf8) + [0, 0x41], Array("mptcpx".utf8),
                               Array("mptc".utf8), [], [0], Array("tls".utf8) + [0], Array("mptcp".utf8) + [0x20, 0]] {
            bytes.withUnsafeBytes { raw in
                let v = ByteView(raw)
                XCTAssertEqual(v.holdsCString("mptcp"), v.cString() == "mptcp", "\(bytes)")
            }
        }
    }
}
