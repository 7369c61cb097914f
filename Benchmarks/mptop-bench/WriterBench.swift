// mptop-bench --writers: the output writers alone, on a synthetic snapshot (no lab, no root):
// how many MB/s of JSON and of text table they produce.
import Foundation
import MPTCPKit
import Output

/// A snapshot shaped like the lab's: `n` established connections with two subflows each (an
/// initial one on wifi0, a join on cell0), counters, rates, shares and an owning process.
func syntheticSnapshot(connections n: Int) -> Snapshot {
    let server = IPAddress("198.18.0.1")!
    let locals = [IPAddress("198.18.1.2")!, IPAddress("198.18.2.2")!]
    var s = Snapshot(time: 1_700_000_000.25, monotonic: 1_000_000_000, namespace: "mptop-lab-client")
    s.connections.reserveCapacity(n)
    for k in 0..<n {
        let port = UInt16(10_000 + k % 50_000)
        var c = Connection(local: SocketAddress(locals[0], port), remote: SocketAddress(server, 5201),
                           state: .established, cookie: UInt64(2 * k + 1), inode: UInt32(100_000 + k), uid: 0)
        var info = MPTCPInfo()
        info.token = UInt32(truncatingIfNeeded: 0x9e37_79b9 &* UInt32(truncatingIfNeeded: k + 1))
        info.subflowsTotal = 2
        info.bytesSent = UInt64(1_000 + k)
        info.bytesReceived = UInt64(2_000 + 3 * k)
        info.bytesAcked = UInt64(1_000 + k)
        c.info = info
        c.process = ProcessRef(pid: 4242, name: "mptop")
        c.txRate = Double(k % 1000) * 1234.5
        c.rxRate = 0
        for j in 0..<2 {
            var sf = Subflow(local: SocketAddress(locals[j], port), remote: SocketAddress(server, 5201),
                             state: .established, boundInterfaceIndex: 0, cookie: UInt64(1_000_000 + 2 * k + j), inode: 0, uid: 0)
            sf.interfaceIndex = UInt32(j + 2)
            sf.interfaceName = j == 0 ? "wifi0" : "cell0"
            var t = TCPInfo()
            t.sndCwnd = 10
            t.sndSsthresh = 2_147_483_647
            t.rtt = 12_500 + UInt32(k % 977)
            t.rttVar = 500
            t.minRtt = 12_000
            t.bytesAcked = UInt64(500 + k)
            t.bytesReceived = UInt64(1_000 + k)
            t.bytesSent = UInt64(500 + k)
            t.totalRetrans = 0
            t.deliveryRate = 125_000
            sf.tcp = t
            var u = SubflowULPInfo()
            u.name = "mptcp"
            u.flags = j == 1 ? 0xcc : 0xc3
            u.localID = UInt8(j)
            sf.ulp = u
            sf.congestion = "cubic"
            sf.txRate = c.txRate.map { $0 / 2 }
            sf.rxRate = 0
            c.subflows.append(sf)
        }
        s.connections.append(c)
    }
    s.interfaces = Shares.apply(to: &s.connections, names: { [2: "wifi0", 3: "cell0"][$0] })
    return s
}

/// The calling thread's CPU time in milliseconds: what a round cost on a machine shared with
/// other work, where the wall clock also counts the time the thread waited for a core.
func threadCPUMilliseconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) * 1000 + Double(t.tv_nsec) / 1e6
}

/// Renders the snapshot `rounds` times with each writer into one reused buffer, as `mptop`
/// does, and prints the medians as MB/s: of wall time, and of the thread's CPU time.
func benchWriters(connections n: Int, rounds: Int) {
    let snapshot = syntheticSnapshot(connections: n)
    /// `throughput`: whether MB/s mean anything; a recording's deltas are a few kB each, and
    /// its line says what a sample cost instead (the bytes per connection-sample follow).
    func measure(_ name: String, throughput: Bool = true, _ render: () -> Int) {
        var bytes = render()
        var cpu: [Double] = []
        let t = median((0..<rounds).map { _ in
            let start = threadCPUMilliseconds()
            defer { cpu.append(threadCPUMilliseconds() - start) }
            return milliseconds { bytes = render() }
        })
        let c = median(cpu)
        func rate(_ ms: Double) -> String { Units.fixed(Double(bytes) / 1e6 / (ms / 1000), decimals: 0) + " MB/s" }
        guard throughput else {
            print("  \(name.padded(to: 12)) \(ms(t).leftPadded(to: 10)) a sample   (CPU \(ms(c)))")
            return
        }
        print("  \(name.padded(to: 12)) \(ms(t).leftPadded(to: 10))   \(Units.fixed(Double(bytes) / 1e6, decimals: 2)) MB   \(rate(t))"
              + "   (CPU \(ms(c)), \(rate(c)))")
    }
    print("output writers on a synthetic snapshot, \(n) connections, \(snapshot.subflowCount) subflows (median of \(rounds)):")
    var buffer: [UInt8] = []
    measure("JSON") {
        buffer.removeAll(keepingCapacity: true)
        SnapshotJSON.render(snapshot, into: &buffer)
        return buffer.count
    }
    measure("text table") {
        buffer.removeAll(keepingCapacity: true)
        SnapshotTable.render(snapshot, into: &buffer)
        return buffer.count
    }
    // The recording writer: each round a sample whose byte counters moved on (a delta), with a
    // keyframe every 60 as `mptop record` writes them.
    let path = NSTemporaryDirectory() + "mptop-bench-writers-\(getpid()).mptrec"
    unlink(path)
    defer { unlink(path) }
    guard let writer = try? RecordingWriter(path: path, header: RecordingHeader(writer: "bench", host: "h", kernel: "k", namespace: nil,
                                                                                 interval: 1, started: 0, pathManager: nil, scheduler: nil)) else { return }
    var next = snapshot
    var round = 0
    measure("recording", throughput: false) {
        round += 1
        next.time += 1
        next.monotonic += 1_000_000_000
        for ci in next.connections.indices {
            for si in next.connections[ci].subflows.indices { next.connections[ci].subflows[si].tcp?.bytesAcked? += UInt64(1448 * (round % 7)) }
        }
        let before = writer.size
        try? writer.append(next, counters: nil, setup: { nil })
        return writer.size - before
    }
    print("  recording: \(writer.samples) samples, \(Units.fixed(Double(writer.size) / Double(writer.samples * n), decimals: 1)) bytes per connection-sample")
}
