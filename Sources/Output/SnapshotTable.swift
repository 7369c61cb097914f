import MPTCPKit

/// The `mptop --once` text form of a snapshot: each connection with its subflows beneath it,
/// then listeners, then the per-interface totals.
public enum SnapshotTable {
    public static func render(_ s: Snapshot) -> String {
        var bytes: [UInt8] = []
        render(s, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the snapshot's text to `buffer` (a command reuses one buffer for every report).
    public static func render(_ s: Snapshot, into buffer: inout [UInt8]) {
        var out = Lines(buffer: buffer)
        buffer = []
        defer { buffer = out.buffer }
        let ns = s.namespace.map { "namespace '\($0.escapedForTerminal)'" } ?? "this namespace"
        out.append("MPTCP in \(ns): \(plural(s.connections.count, "connection")), \(plural(s.subflowCount, "subflow")), \(plural(s.listeners.count, "listener"))")
        if s.connections.isEmpty {
            out.append("")
            out.append("no MPTCP connections")
        }
        for c in s.connections {
            out.append("")
            var ct = TextTable([("TOKEN", .left), ("LOCAL", .left), ("REMOTE", .left), ("STATE", .left), ("SUBFLOWS", .right),
                                ("TX", .right), ("RX", .right), ("SENT", .right), ("RECEIVED", .right), ("SHARE", .left), ("PROCESS", .left)])
            ct.add([tokenText(c.info?.token), c.local.description, c.remote.description,
                    SocketState.name(c.state) + (c.fallback ? " (fallback to TCP)" : ""), String(c.subflows.count),
                    Units.rate(c.txRate), Units.rate(c.rxRate), Units.bytes(c.info?.bytesSent), Units.bytes(c.info?.bytesReceived),
                    c.interfaceShares.map { "\($0.name) \(Units.percent($0.share))" }.joined(separator: " "),
                    c.process.map { "\($0.name)[\($0.pid)]" } ?? "-"])
            ct.render(into: &out.buffer)
            guard !c.subflows.isEmpty else { continue }
            var st = TextTable([("IFACE", .left), ("LOCAL", .left), ("REMOTE", .left), ("STATE", .left), ("STATUS", .left), ("CWND", .right),
                                ("RTT", .right), ("RTTVAR", .right), ("ACKED", .right), ("RECEIVED", .right), ("RETRANS", .right),
                                ("TX", .right), ("RX", .right), ("FLAGS", .left)])
            st.indent = 4
            for sf in c.subflows {
                let t = sf.tcp
                st.add([sf.interfaceName ?? "?", sf.local.description, sf.remote.description, SocketState.name(sf.state), statusText(sf.status),
                        t?.sndCwnd.map(String.init) ?? "-", Units.milliseconds(micros: t?.rtt), Units.milliseconds(micros: t?.rttVar),
                        Units.bytes(t?.bytesAcked), Units.bytes(t?.bytesReceived), t?.totalRetrans.map(String.init) ?? "-",
                        Units.rate(sf.txRate), Units.rate(sf.rxRate), flags(sf)])
            }
            st.render(into: &out.buffer)
        }
        if !s.listeners.isEmpty {
            out.append("")
            var lt = TextTable([("LISTENING", .left), ("PROCESS", .left)])
            for l in s.listeners { lt.add([l.local.description, l.process.map { "\($0.name)[\($0.pid)]" } ?? "-"]) }
            lt.render(into: &out.buffer)
        }
        if !s.interfaces.isEmpty {
            out.append("")
            var it = TextTable([("INTERFACE", .left), ("SUBFLOWS", .right), ("SHARE", .right), ("BYTES", .right), ("TX", .right), ("RX", .right)])
            for i in s.interfaces {
                it.add([i.name, String(i.subflows), Units.percent(i.share), Units.bytes(i.bytes), Units.rate(i.txRate), Units.rate(i.rxRate)])
            }
            it.render(into: &out.buffer)
        }
        if s.unmatchedSubflows > 0 {
            out.append("")
            out.append("\(plural(s.unmatchedSubflows, "subflow")) without a connection (it changed during the sample)")
        }
    }

    /// The report's lines, each ending in a newline.
    struct Lines {
        var buffer: [UInt8]

        mutating func append(_ line: String) {
            buffer.append(utf8: line)
            buffer.append(0x0a)
        }
    }

    static func flags(_ sf: Subflow) -> String {
        var f: [String] = []
        if let join = sf.ulp?.isJoin { f.append(join ? "join" : "initial") }
        if let id = sf.ulp?.localID, id != 0 { f.append("id \(id)") }
        if sf.backup { f.append("backup") }
        return f.joined(separator: ",")
    }

    /// "active", "stalled 4.2s" (since the last ACK).
    static func statusText(_ status: SubflowStatus) -> String {
        if case .stalled(let ms?) = status { return "stalled " + Units.age(milliseconds: ms) }
        return status.word
    }

    static func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
}
