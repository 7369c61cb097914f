import Foundation
import XCTest
@testable import MPTCPKit

/// The interface table's rtnetlink decoders on replies a 6.18 kernel sent (Fixtures/rtnetlink618):
/// a namespace with `lo` and a veth `wifi0` holding 198.18.9.1/24 and 2001:db8:9::1/64.
final class InterfaceMessageTests: XCTestCase {
    private func replay<T>(_ name: String, _ body: ([NetlinkMessage]) -> T) throws -> T {
        let bytes = try [UInt8](Data(contentsOf: Fixture.directory.appendingPathComponent("rtnetlink618/\(name).nl")))
        return bytes.withUnsafeBytes { body(Array(NetlinkMessages(ByteView($0)))) }
    }

    private func links() throws -> [UInt32: InterfaceTable.Link] {
        try replay("links") { messages in
            var links: [UInt32: InterfaceTable.Link] = [:]
            for m in messages { InterfaceTable.decodeLink(m, into: &links) }
            return links
        }
    }

    func testLinksByIndexWithTheirFlags() throws {
        let links = try links()
        let lo = try XCTUnwrap(links.values.first { $0.name == "lo" })
        XCTAssertTrue(lo.loopback)
        let wifi = try XCTUnwrap(links.values.first { $0.name == "wifi0" })
        XCTAssertFalse(wifi.loopback)
        XCTAssertTrue(wifi.up)
        XCTAssertTrue(wifi.running)
        XCTAssertEqual(links[wifi.index]?.name, "wifi0")
    }

    func testAddressesBelongToTheirInterfaceAndLoopbackIsLeftOut() throws {
        let links = try links()
        let wifi = try XCTUnwrap(links.values.first { $0.name == "wifi0" }).index
        let owners = try replay("addresses") { messages in
            var owners: [IPAddress: UInt32] = [:]
            for m in messages { InterfaceTable.decodeAddress(m, links: links, into: &owners) }
            return owners
        }
        XCTAssertEqual(owners[try XCTUnwrap(IPAddress("198.18.9.1"))], wifi)
        XCTAssertEqual(owners[try XCTUnwrap(IPAddress("2001:db8:9::1"))], wifi)
        XCTAssertNil(owners[try XCTUnwrap(IPAddress("127.0.0.1"))])
        XCTAssertNil(owners[try XCTUnwrap(IPAddress("::1"))])
    }

    func testRouteLookupAnswersNameTheOutputInterface() throws {
        let wifi = try XCTUnwrap(try links().values.first { $0.name == "wifi0" }).index
        for name in ["route-v4", "route-v6"] {
            let oif: UInt32? = try replay(name) { messages in
                var oif: UInt32?
                for m in messages { InterfaceTable.decodeRoute(m, into: &oif) }
                return oif
            }
            XCTAssertEqual(oif, wifi, name)
        }
    }

    func testMessagesOfOtherTypesChangeNothing() throws {
        // The address dump holds no RTM_NEWLINK, the link dump no RTM_NEWADDR or RTM_NEWROUTE.
        try replay("addresses") { messages in
            var links: [UInt32: InterfaceTable.Link] = [:]
            for m in messages { InterfaceTable.decodeLink(m, into: &links) }
            XCTAssertTrue(links.isEmpty)
        }
        try replay("links") { messages in
            var owners: [IPAddress: UInt32] = [:]
            var oif: UInt32?
            for m in messages {
                InterfaceTable.decodeAddress(m, links: [:], into: &owners)
                InterfaceTable.decodeRoute(m, into: &oif)
            }
            XCTAssertTrue(owners.isEmpty)
            XCTAssertNil(oif)
        }
    }
}
