// mptop-bench --scaling: the cost per connection at each size (--connections, default
// 1,000, 5,000, 10,000 and 20,000), so anything superlinear shows: one sample in a lab (next to
// the bare dump of the same sockets), and on a synthetic snapshot of the same size the JSON
// writer, the table writer and one dashboard frame (view model update and rendering, 200x50).
import Dashboard
import Foundation
import LabKit
import MPTCPKit
import Output
#if canImport(Glibc)
import Glibc
#endif

/// One sample and one bare dump in a lab of `n` idle connections (medians).
func labSample(connections n: Int, rounds: Int, mptop: String) throws -> (sample: Double, bare: Double) {
    try withIdleLab(connections: n, mptop: mptop) { _, sampler in
        sleep(3)
        let raw = try NetlinkSocket(.sockDiag)
        var samples: [Double] = [], bare: [Double] = []
        for _ in 0..<rounds {
            bare.append(try milliseconds { _ = try rawDump(raw) })
            samples.append(try milliseconds { _ = try sampler.sampleWithoutRates() })
        }
        return (median(samples), median(bare))
    }
}

/// JSON, table and one dashboard frame on a synthetic snapshot of `n` connections (medians).
func syntheticCosts(connections n: Int, rounds: Int) -> (json: Double, table: Double, frame: Double) {
    var snapshot = syntheticSnapshot(connections: n)
    var buffer: [UInt8] = []
    let json = median((0..<rounds).map { _ in milliseconds { buffer.removeAll(keepingCapacity: true); SnapshotJSON.render(snapshot, into: &buffer) } })
    let table = median((0..<rounds).map { _ in milliseconds { buffer.removeAll(keepingCapacity: true); SnapshotTable.render(snapshot, into: &buffer) } })
    var state = DashboardState(header: HeaderInfo(host: "bench", namespace: nil, pathManager: .kernel, scheduler: "default", canAct: true),
                               width: 200, height: 50)
    func next() -> Snapshot {
        snapshot.time += 1
        snapshot.monotonic += 1_000_000_000
        return snapshot
    }
    state.apply(next())
    let frame = median((0..<rounds).map { _ in
        milliseconds {
            state.apply(next())
            _ = DashboardRenderer.render(state, theme: .basic)
        }
    })
    return (json, table, frame)
}

func benchScaling(sizes: [Int], rounds: Int, mptop: String) throws {
    var rows: [String] = []
    func perConnection(_ ms: Double, _ n: Int) -> String {
        Units.fixed(ms, decimals: 1).leftPadded(to: 7) + " ms " + ("(" + Units.fixed(ms * 1000 / Double(n), decimals: 2) + " us)").leftPadded(to: 10)
    }
    for n in sizes {
        let lab = try labSample(connections: n, rounds: rounds, mptop: mptop)
        let s = syntheticCosts(connections: n, rounds: rounds)
        let sample = perConnection(lab.sample, n) + "  " + perConnection(lab.bare, n)
        rows.append("\(String(n).leftPadded(to: 7))  \(sample)  \(perConnection(s.json, n))  \(perConnection(s.table, n))  \(perConnection(s.frame, n))")
    }
    print("cost per connection (two subflows each; medians of \(rounds); per connection in parentheses):")
    print("  conns  sample (lab)              bare dump (lab)           JSON (synthetic)          table (synthetic)         dashboard frame 200x50")
    rows.forEach { print($0) }
}
