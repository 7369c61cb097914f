import XCTest
@testable import MPTCPKit
#if canImport(Glibc)
import Glibc
#endif

/// Netlink messages not from the kernel are not believed, and no error code from anyone traps.
/// Runs without root: any process may send unicast to another netlink socket's port, so the
/// forger here is a second socket of this process (root of a container netns can do the same
/// to mptop's sockets).
final class NetlinkTrustTests: XCTestCase {
    /// One NLMSG_ERROR message with `code` for request `sequence`.
    static func errorMessage(code: Int32, sequence: UInt32) -> [UInt8] {
        var b = NetlinkRequestBuilder(type: NetlinkConstants.typeError, flags: 0)
        b.append(withUnsafeBytes(of: code) { Array($0) } + [UInt8](repeating: 0, count: 16))
        return b.finish(sequence: sequence)
    }

    private func errno(ofErrorCode code: Int32) -> Int32 {
        Self.errorMessage(code: code, sequence: 1).withUnsafeBytes { raw in
            var messages = NetlinkMessages(ByteView(raw))
            return NetlinkConstants.errno(ofError: messages.next()!)
        }
    }

    func testErrorCodesBecomeErrnosWithoutArithmeticThatTraps() {
        XCTAssertEqual(errno(ofErrorCode: 0), 0, "an ACK")
        XCTAssertEqual(errno(ofErrorCode: -EPERM), EPERM)
        XCTAssertEqual(errno(ofErrorCode: -4095), 4095, "MAX_ERRNO")
        XCTAssertEqual(errno(ofErrorCode: Int32.min), EIO, "INT32_MIN has no positive counterpart")
        XCTAssertEqual(errno(ofErrorCode: -4096), EIO)
        XCTAssertEqual(errno(ofErrorCode: 5), EIO, "the kernel never sends a positive code")
        XCTAssertEqual(errno(ofErrorCode: Int32.max), EIO)
        let header = NetlinkRequestBuilder(type: NetlinkConstants.typeError, flags: 0).finish(sequence: 1)
        header.withUnsafeBytes { raw in
            var messages = NetlinkMessages(ByteView(raw))
            XCTAssertEqual(NetlinkConstants.errno(ofError: messages.next()!), EIO, "no room for a code")
        }
    }

    /// A forged INT32_MIN error for the dump's sequence number, queued before the request:
    /// it used to end the dump with `-code`, which traps (SIGILL).
    func testAForgedErrorReplyFromAnotherSocketIsIgnored() throws {
        let socket = try NetlinkSocket(.route)
        let forger = try NetlinkSocket(.route)
        // Every sequence number the next requests could use, in one datagram.
        let forged = (1...8).flatMap { Self.errorMessage(code: Int32.min, sequence: UInt32($0)) }
        try? forger.send(forged, toPort: socket.port) // refused (ECONNREFUSED) once mptop's socket is connected
        var request = NetlinkRequestBuilder(type: 18, flags: NetlinkConstants.flagRequest | NetlinkConstants.flagDump) // RTM_GETLINK
        request.append([UInt8](repeating: 0, count: 16)) // struct ifinfomsg
        var links = 0
        try socket.dump(request) { m in if m.type == 16 { links += 1 } } // RTM_NEWLINK
        XCTAssertGreaterThan(links, 0, "the kernel's real reply, with at least lo")
    }

    /// A forged NLMSG_DONE would end a dump before the kernel's reply: no connections shown.
    func testAForgedEndOfDumpDoesNotHideTheKernelsReply() throws {
        let socket = try NetlinkSocket(.route)
        let forger = try NetlinkSocket(.route)
        let done = (1...8).flatMap { sequence in
            var b = NetlinkRequestBuilder(type: NetlinkConstants.typeDone, flags: NetlinkConstants.flagMulti)
            b.append([0, 0, 0, 0])
            return b.finish(sequence: UInt32(sequence))
        }
        try? forger.send(done, toPort: socket.port)
        var request = NetlinkRequestBuilder(type: 18, flags: NetlinkConstants.flagRequest | NetlinkConstants.flagDump)
        request.append([UInt8](repeating: 0, count: 16))
        var links = 0
        try socket.dump(request) { m in if m.type == 16 { links += 1 } }
        XCTAssertGreaterThan(links, 0, "the dump ran to the kernel's own DONE")
    }
}
