import Exporter
@testable import MPTCPKit

/// Small hand-made samples for the exporter's tests: connections with subflows on named
/// interfaces, bytes as given, shares computed by the real `Shares`.
enum World {
    struct Flow {
        let cookie: UInt64
        let interface: UInt32
        let tx: UInt64
        let rx: UInt64
    }

    struct Conn {
        let token: UInt32
        let cookie: UInt64
        var fallback = false
        var txRate: Double? = nil
        let flows: [Flow]
    }

    static func snapshot(_ conns: [Conn], names: [UInt32: String], listeners: Int = 0) -> Snapshot {
        var s = Snapshot(time: 1_800_000_000, monotonic: 1_000_000_000, namespace: nil)
        s.connections = conns.map { spec in
            var c = Connection(local: SocketAddress(IPAddress("198.18.1.1")!, UInt16(truncatingIfNeeded: spec.cookie)),
                               remote: SocketAddress(IPAddress("198.18.0.1")!, 5201), state: .established, cookie: spec.cookie,
                               inode: UInt32(truncatingIfNeeded: spec.cookie), uid: 0)
            var info = MPTCPInfo()
            info.token = spec.token
            if spec.fallback { info.flags = 0x1 } // MPTCP_INFO_FLAG_FALLBACK
            c.info = info
            c.txRate = spec.txRate
            c.subflows = spec.flows.map { f in
                var sf = Subflow(local: c.local, remote: c.remote, state: .established, boundInterfaceIndex: 0,
                                 cookie: f.cookie, inode: 0, uid: 0)
                sf.interfaceIndex = f.interface
                var tcp = TCPInfo()
                tcp.bytesAcked = f.tx
                tcp.bytesReceived = f.rx
                sf.tcp = tcp
                return sf
            }
            return c
        }
        s.listeners = (0..<listeners).map { i in
            Listener(local: SocketAddress(IPAddress("0.0.0.0")!, UInt16(8000 + i)), inode: UInt32(i), uid: 0, process: nil)
        }
        s.interfaces = Shares.apply(to: &s.connections, names: { names[$0] })
        return s
    }
}

/// The exposition text as `series -> value`, where series is `name{labels}` exactly as written.
struct Scrape {
    let text: String
    let values: [String: Double]
    let types: [String: String]

    init(_ bytes: [UInt8]) {
        text = String(decoding: bytes, as: UTF8.self)
        var values: [String: Double] = [:], types: [String: String] = [:]
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                let words = line.split(separator: " ")
                if words.count == 4 { types[String(words[2])] = String(words[3]) }
                continue
            }
            guard !line.hasPrefix("#"), let space = line.lastIndex(of: " ") else { continue }
            values[String(line[..<space])] = Double(line[line.index(after: space)...])
        }
        self.values = values
        self.types = types
    }

    subscript(series: String) -> Double? { values[series] }

    /// The series of one family.
    func series(_ name: String) -> [String: Double] {
        values.filter { $0.key.hasPrefix(name + "{") }
    }
}
