import TestSupport
import XCTest
@testable import MPTCPKit

/// RateTracker finds the previous counters by a cursor in the dump's order (`CookieLookup`);
/// its rates must be those the Dictionaries keyed by cookie gave, whatever the order does.
final class RateTrackerOrderTests: XCTestCase {
    /// The tracker as it was, with a Dictionary per kind of socket, for comparison.
    private struct DictionaryRates {
        var previousTime: UInt64?
        var subflows: [UInt64: (tx: UInt64, rx: UInt64)] = [:]
        var connections: [UInt64: (tx: UInt64, rx: UInt64)] = [:]

        mutating func annotate(_ snapshot: inout Snapshot) {
            let dt = previousTime.map { Double(snapshot.monotonic &- $0) / 1e9 } ?? 0
            var nextSubflows: [UInt64: (tx: UInt64, rx: UInt64)] = [:], nextConnections: [UInt64: (tx: UInt64, rx: UInt64)] = [:]
            var interfaceRates: [UInt32: (tx: Double, rx: Double)] = [:]
            for ci in snapshot.connections.indices {
                var connTx: UInt64 = 0, connRx: UInt64 = 0
                for si in snapshot.connections[ci].subflows.indices {
                    let sf = snapshot.connections[ci].subflows[si]
                    let now = (tx: sf.tcp?.bytesAcked ?? 0, rx: sf.tcp?.bytesReceived ?? 0)
                    nextSubflows[sf.cookie] = now
                    connTx &+= now.tx
                    connRx &+= now.rx
                    guard dt > 0 else { continue }
                    let before = subflows[sf.cookie] ?? (0, 0)
                    let tx = RateTracker.rate(now.tx, before.tx, dt), rx = RateTracker.rate(now.rx, before.rx, dt)
                    snapshot.connections[ci].subflows[si].txRate = tx
                    snapshot.connections[ci].subflows[si].rxRate = rx
                    if let index = sf.interfaceIndex {
                        let r = interfaceRates[index] ?? (0, 0)
                        interfaceRates[index] = (r.tx + tx, r.rx + rx)
                    }
                }
                let c = snapshot.connections[ci]
                let now = (tx: c.info?.bytesAcked ?? connTx, rx: c.info?.bytesReceived ?? connRx)
                nextConnections[c.cookie] = now
                if dt > 0 {
                    let before = connections[c.cookie] ?? (0, 0)
                    snapshot.connections[ci].txRate = RateTracker.rate(now.tx, before.tx, dt)
                    snapshot.connections[ci].rxRate = RateTracker.rate(now.rx, before.rx, dt)
                }
            }
            if dt > 0 {
                for ii in snapshot.interfaces.indices {
                    let r = interfaceRates[snapshot.interfaces[ii].index] ?? (0, 0)
                    snapshot.interfaces[ii].txRate = r.tx
                    snapshot.interfaces[ii].rxRate = r.rx
                }
            }
            previousTime = snapshot.monotonic
            subflows = nextSubflows
            connections = nextConnections
        }
    }

    private func connection(_ cookie: UInt64, subflows: [Subflow], mptcpCounters: Bool) -> Connection {
        var c = Connection(local: SocketAddress(IPAddress("198.18.1.1")!, 40000), remote: SocketAddress(IPAddress("198.18.0.1")!, 5201),
                           state: .established, cookie: cookie, inode: UInt32(truncatingIfNeeded: cookie), uid: 0)
        if mptcpCounters {
            var info = MPTCPInfo()
            info.bytesAcked = subflows.reduce(0) { $0 + ($1.tcp?.bytesAcked ?? 0) } / 2
            info.bytesReceived = subflows.reduce(0) { $0 + ($1.tcp?.bytesReceived ?? 0) }
            c.info = info
        }
        c.subflows = subflows
        return c
    }

    func testRatesAreTheDictionariesRatesThroughReorderedNewGoneAndDuplicateSockets() {
        var g = SplitMix64(seed: 0x7261_7465)
        for run in 0..<40 {
            var tracker = RateTracker(), reference = DictionaryRates()
            // Connection cookie -> its subflow cookies; counters grow with time.
            var layout: [(cookie: UInt64, subflows: [UInt64])] = []
            for k in 1...UInt64(g.below(30) + 1) { layout.append((k * 100, [k * 100 + 1, k * 100 + 2])) }
            var fresh: UInt64 = 1_000_000
            for step in 0..<15 {
                if step > 0 {
                    switch g.below(6) {
                    case 0 where !layout.isEmpty: layout.remove(at: g.below(layout.count))
                    case 1:
                        fresh += 10
                        layout.insert((fresh, [fresh + 1, fresh + 2]), at: g.below(layout.count + 1))
                    case 2 where layout.count > 1: layout.swapAt(g.below(layout.count), g.below(layout.count))
                    case 3 where !layout.isEmpty: // a subflow gone, another new
                        let i = g.below(layout.count)
                        fresh += 10
                        layout[i].subflows = [layout[i].subflows[0], fresh]
                    case 4 where !layout.isEmpty: // a connection listed twice (an interrupted dump)
                        layout.insert(layout[g.below(layout.count)], at: g.below(layout.count + 1))
                    default: break
                    }
                }
                let pause: Double = g.below(5) == 0 ? 0 : 1 // at times the same instant again
                let seconds = Double(step) * pause + Double(run)
                var snapshot = Snapshot(time: seconds, monotonic: UInt64(seconds * 1e9), namespace: nil)
                for entry in layout {
                    var subflows: [Subflow] = []
                    for cookie in entry.subflows {
                        let acked: UInt64 = cookie * UInt64(step + 1) * 1000 + UInt64(g.below(500))
                        var s = Synthetic.subflow("198.18.1.1", 40000, cookie: cookie, interface: UInt32(cookie % 3) + 1,
                                                  acked: acked, received: UInt64(g.below(100_000)))
                        if cookie % 7 == 0 { s.interfaceIndex = nil }
                        subflows.append(s)
                    }
                    snapshot.connections.append(connection(entry.cookie, subflows: subflows, mptcpCounters: entry.cookie % 2 == 0))
                }
                snapshot.interfaces = Shares.apply(to: &snapshot.connections, names: { "if\($0)" })
                var ours = snapshot, theirs = snapshot
                tracker.annotate(&ours)
                reference.annotate(&theirs)
                let context = "run \(run), step \(step)"
                XCTAssertEqual(ours.connections.map(\.txRate), theirs.connections.map(\.txRate), context)
                XCTAssertEqual(ours.connections.map(\.rxRate), theirs.connections.map(\.rxRate), context)
                XCTAssertEqual(ours.connections.flatMap { $0.subflows.map(\.txRate) }, theirs.connections.flatMap { $0.subflows.map(\.txRate) }, context)
                XCTAssertEqual(ours.connections.flatMap { $0.subflows.map(\.rxRate) }, theirs.connections.flatMap { $0.subflows.map(\.rxRate) }, context)
                XCTAssertEqual(ours.interfaces.map(\.txRate), theirs.interfaces.map(\.txRate), context)
                XCTAssertEqual(ours.interfaces.map(\.rxRate), theirs.interfaces.map(\.rxRate), context)
            }
        }
    }
}
