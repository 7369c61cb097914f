@testable import Dashboard
@testable import MPTCPKit

/// A small, fixed world for the dashboard tests: three connections (IPv4 over wifi0 and cell0,
/// IPv6 with a backup subflow, and one that fell back to TCP), sampled once a second with
/// traffic that grows steadily. Rates come from the real RateTracker.
enum Scenario {
    static let header = HeaderInfo(host: "lab-host", namespace: "mptop-lab-cli", pathManager: .kernel,
                                   scheduler: "default", canAct: true)

    struct SubflowSpec {
        let local: String, localPort: UInt16, remote: String, remotePort: UInt16
        let interface: UInt32, cookie: UInt64
        /// Bytes acked per second, bytes received per second.
        let txPerSecond: UInt64, rxPerSecond: UInt64
        let rttMicros: UInt32, cwnd: UInt32, retrans: UInt32
        var backup = false
        /// From this second on the path is dead silent: its bytes stop growing, data stays
        /// outstanding, and no ACK comes (for `stalledFor` ms at that second, then counting).
        var stalledFrom: Int?
        var stalledFor: UInt32 = 0
    }

    struct ConnectionSpec {
        let token: UInt32, cookie: UInt64
        let local: String, localPort: UInt16, remote: String, remotePort: UInt16
        let process: ProcessRef?
        var fallback = false
        let subflows: [SubflowSpec]
    }

    static let connections: [ConnectionSpec] = [
        ConnectionSpec(token: 0x5f1c2a3b, cookie: 1, local: "198.18.1.1", localPort: 40000, remote: "198.18.0.1", remotePort: 5201,
                       process: ProcessRef(pid: 4242, name: "curl"), subflows: [
            SubflowSpec(local: "198.18.1.1", localPort: 40000, remote: "198.18.0.1", remotePort: 5201, interface: 2, cookie: 11,
                        txPerSecond: 5_000_000, rxPerSecond: 20_000, rttMicros: 12_300, cwnd: 120, retrans: 0),
            SubflowSpec(local: "198.18.2.1", localPort: 41234, remote: "198.18.0.1", remotePort: 5201, interface: 3, cookie: 12,
                        txPerSecond: 2_000_000, rxPerSecond: 8_000, rttMicros: 48_700, cwnd: 40, retrans: 3),
        ]),
        ConnectionSpec(token: 0x0a0b0c0d, cookie: 2, local: "2001:db8:1::1", localPort: 40002, remote: "2001:db8::1", remotePort: 443,
                       process: ProcessRef(pid: 77, name: "nginx"), subflows: [
            SubflowSpec(local: "2001:db8:1::1", localPort: 40002, remote: "2001:db8::1", remotePort: 443, interface: 2, cookie: 21,
                        txPerSecond: 100_000, rxPerSecond: 1_500_000, rttMicros: 9_800, cwnd: 64, retrans: 0),
            SubflowSpec(local: "2001:db8:2::1", localPort: 40003, remote: "2001:db8::1", remotePort: 443, interface: 3, cookie: 22,
                        txPerSecond: 0, rxPerSecond: 0, rttMicros: 51_000, cwnd: 10, retrans: 0, backup: true),
        ]),
        ConnectionSpec(token: 0x12345678, cookie: 3, local: "198.18.1.1", localPort: 40004, remote: "198.18.0.9", remotePort: 80,
                       process: nil, fallback: true, subflows: [
            SubflowSpec(local: "198.18.1.1", localPort: 40004, remote: "198.18.0.9", remotePort: 80, interface: 2, cookie: 31,
                        txPerSecond: 10_000, rxPerSecond: 250_000, rttMicros: 15_000, cwnd: 20, retrans: 1),
        ]),
    ]

    static let interfaceNames: [UInt32: String] = [2: "wifi0", 3: "cell0"]

    /// The world at `second` (0, 1, 2, ...), before rates.
    static func snapshot(at second: Int, connections specs: [ConnectionSpec] = connections) -> Snapshot {
        var s = Snapshot(time: 1_763_700_000 + Double(second), monotonic: UInt64(second) * 1_000_000_000, namespace: "mptop-lab-cli")
        let t = UInt64(second + 10) // a little history before the first sample
        s.connections = specs.map { spec in
            var c = Connection(local: SocketAddress(IPAddress(spec.local)!, spec.localPort),
                               remote: SocketAddress(IPAddress(spec.remote)!, spec.remotePort),
                               state: .established, cookie: spec.cookie, inode: UInt32(spec.cookie), uid: 0)
            var info = MPTCPInfo()
            info.token = spec.token
            info.flags = spec.fallback ? 1 : 0
            let carried = { (f: SubflowSpec) in f.stalledFrom.map { min(t, UInt64($0 + 10)) } ?? t }
            info.bytesAcked = spec.subflows.reduce(0) { $0 + $1.txPerSecond * carried($1) }
            info.bytesReceived = spec.subflows.reduce(0) { $0 + $1.rxPerSecond * carried($1) }
            c.info = info
            c.process = spec.process
            c.subflows = spec.subflows.map { f in
                var sf = Subflow(local: SocketAddress(IPAddress(f.local)!, f.localPort), remote: SocketAddress(IPAddress(f.remote)!, f.remotePort),
                                 state: .established, boundInterfaceIndex: 0, cookie: f.cookie, inode: 0, uid: 0)
                sf.interfaceIndex = f.interface
                var tcp = TCPInfo()
                let carried = f.stalledFrom.map { min(t, UInt64($0 + 10)) } ?? t
                tcp.bytesAcked = f.txPerSecond * carried
                tcp.bytesReceived = f.rxPerSecond * carried
                tcp.rtt = f.rttMicros
                tcp.rttVar = f.rttMicros / 8
                tcp.sndCwnd = f.cwnd
                tcp.totalRetrans = f.retrans
                if let from = f.stalledFrom, second >= from {
                    let stalled = f.stalledFor + UInt32(second - from) * 1000
                    tcp.unacked = 135
                    tcp.backoff = 2
                    tcp.lastAckReceived = stalled
                    tcp.lastDataSent = stalled / 2
                } else if f.txPerSecond == 0 && f.rxPerSecond == 0 {
                    // Nothing to send: quiet for a while.
                    tcp.unacked = 0
                    tcp.lastAckReceived = 8000
                    tcp.lastDataSent = 8000
                    tcp.lastDataReceived = 8000
                } else {
                    tcp.unacked = 20
                    tcp.lastAckReceived = 0
                    tcp.lastDataSent = 0
                    tcp.lastDataReceived = 4
                }
                sf.tcp = tcp
                var ulp = SubflowULPInfo()
                ulp.name = "mptcp"
                ulp.flags = f.backup ? 0xe3 : 0xc3  // 0x20: backup (local)
                ulp.tokenLocal = spec.token
                sf.ulp = ulp
                sf.congestion = "cubic"
                return sf
            }
            return c
        }
        s.interfaces = Shares.apply(to: &s.connections, names: { interfaceNames[$0] })
        return s
    }

    /// The scenario with the first connection's cell0 subflow gone (closed).
    static var withoutFirstCellSubflow: [ConnectionSpec] {
        var specs = connections
        let first = specs[0]
        specs[0] = ConnectionSpec(token: first.token, cookie: first.cookie, local: first.local, localPort: first.localPort,
                                  remote: first.remote, remotePort: first.remotePort, process: first.process,
                                  subflows: [first.subflows[0]])
        return specs
    }

    /// The scenario with the first connection's wifi0 subflow stalled from the first sample
    /// (its far end died 2.2 s before): 4.2 s without an ACK at the third sample, its bytes
    /// frozen, data outstanding, the retransmission timer backed off.
    static var withStalledWifi: [ConnectionSpec] {
        var specs = connections
        let first = specs[0]
        var wifi = first.subflows[0]
        wifi = SubflowSpec(local: wifi.local, localPort: wifi.localPort, remote: wifi.remote, remotePort: wifi.remotePort,
                           interface: wifi.interface, cookie: wifi.cookie, txPerSecond: wifi.txPerSecond, rxPerSecond: wifi.rxPerSecond,
                           rttMicros: wifi.rttMicros, cwnd: 1, retrans: 4, stalledFrom: 0, stalledFor: 2200)
        specs[0] = ConnectionSpec(token: first.token, cookie: first.cookie, local: first.local, localPort: first.localPort,
                                  remote: first.remote, remotePort: first.remotePort, process: first.process,
                                  subflows: [wifi, first.subflows[1]])
        return specs
    }

    /// The first connection's wifi0 subflow goes silent at second `from` (its far end died).
    static func stallingWifi(from: Int) -> [ConnectionSpec] {
        var specs = connections
        let first = specs[0]
        let w = first.subflows[0]
        let wifi = SubflowSpec(local: w.local, localPort: w.localPort, remote: w.remote, remotePort: w.remotePort,
                               interface: w.interface, cookie: w.cookie, txPerSecond: w.txPerSecond, rxPerSecond: w.rxPerSecond,
                               rttMicros: w.rttMicros, cwnd: w.cwnd, retrans: w.retrans, stalledFrom: from, stalledFor: 300)
        specs[0] = ConnectionSpec(token: first.token, cookie: first.cookie, local: first.local, localPort: first.localPort,
                                  remote: first.remote, remotePort: first.remotePort, process: first.process,
                                  subflows: [wifi, first.subflows[1]])
        return specs
    }

    /// `count` samples one second apart with rates, as the Sampler would deliver them.
    static func samples(_ count: Int, connections specs: [ConnectionSpec] = connections) -> [Snapshot] {
        var rates = RateTracker()
        return (0..<count).map { second in
            var s = snapshot(at: second, connections: specs)
            rates.annotate(&s)
            return s
        }
    }

    /// A dashboard state of `width` x `height` that has seen `samples` samples.
    static func state(width: Int, height: Int, samples: Int = 3, glyphs: Glyphs = .unicode,
                      connections specs: [ConnectionSpec] = connections) -> DashboardState {
        var state = DashboardState(header: header, width: width, height: height, glyphs: glyphs, themeNames: ["basic"])
        for s in Scenario.samples(samples, connections: specs) { state.apply(s) }
        return state
    }
}

extension DashboardState {
    /// Types `text` into the filter line, reads the filtered view with `read`, then clears the
    /// filter again (Esc).
    mutating func filtered<T>(_ text: String, _ read: (DashboardState) -> T) -> T {
        handle(.character("/"))
        for c in text.unicodeScalars { handle(.character(c)) }
        handle(.enter)
        defer { handle(.escape) }
        return read(self)
    }
}
