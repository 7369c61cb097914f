@testable import MPTCPKit

/// Hand-made snapshots for tests of the pure stages (rates, shares, rendering).
enum Synthetic {
    static func subflow(_ local: String, _ port: UInt16, cookie: UInt64, interface: UInt32, acked: UInt64, received: UInt64 = 0,
                        join: Bool = false) -> Subflow {
        var s = Subflow(local: SocketAddress(IPAddress(local)!, port), remote: SocketAddress(IPAddress("198.18.0.1")!, 5201),
                        state: .established, boundInterfaceIndex: 0, cookie: cookie, inode: 42, uid: 0)
        s.interfaceIndex = interface
        var t = TCPInfo()
        t.bytesAcked = acked
        t.bytesReceived = received
        t.sndCwnd = 10
        t.rtt = 12_500
        t.rttVar = 500
        s.tcp = t
        var u = SubflowULPInfo()
        u.name = "mptcp"
        u.flags = join ? 0xcc : 0xc3
        u.tokenLocal = 0xabcd
        u.localID = join ? 1 : 0
        s.ulp = u
        return s
    }

    static func snapshot(at seconds: Double, subflows: [Subflow], bytesAcked: UInt64? = nil) -> Snapshot {
        var c = Connection(local: SocketAddress(IPAddress("198.18.1.1")!, 40000), remote: SocketAddress(IPAddress("198.18.0.1")!, 5201),
                           state: .established, cookie: 7, inode: 42, uid: 0)
        var info = MPTCPInfo()
        info.token = 0xabcd
        info.bytesAcked = bytesAcked
        info.bytesReceived = bytesAcked.map { _ in 0 }
        c.info = info
        c.subflows = subflows
        var s = Snapshot(time: 1_700_000_000 + seconds, monotonic: UInt64(seconds * 1e9), namespace: "lab")
        s.connections = [c]
        s.interfaces = Shares.apply(to: &s.connections, names: { [1: "wifi0", 2: "cell0"][$0] })
        return s
    }
}
