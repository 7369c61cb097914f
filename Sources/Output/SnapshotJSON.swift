import MPTCPKit

/// The JSON form of a snapshot: the contract documented in the README ("JSON output").
/// Rates are bits per second, RTTs milliseconds, shares 0...1; unknown values are null.
public enum SnapshotJSON {
    public static func render(_ s: Snapshot) -> String {
        var bytes: [UInt8] = []
        render(s, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the snapshot's JSON to `buffer` (a command reuses one buffer for every report).
    public static func render(_ s: Snapshot, into buffer: inout [UInt8]) {
        render(s, into: &buffer, flushingEvery: .max) { _ in }
    }

    /// Writes the snapshot's JSON and a newline to stdout, built in `buffer` (emptied first and
    /// kept for the next line), in pieces of about 1 MiB: at 10,000 connections a whole report
    /// would be the largest thing mptop holds. `mptop --json`, `record --json`, `replay --json`.
    /// With `twoThreads`, the connections are rendered on two threads (`PiecewiseRender`), for
    /// a single report that nothing else runs beside (`mptop --once`); the bytes are the same.
    public static func printLine(_ s: Snapshot, buffer: inout [UInt8], twoThreads: Bool = false) throws {
        try writeLine(s, buffer: &buffer, rowsPerPiece: twoThreads ? PiecewiseRender.rowsPerPiece : nil) { try Console.out($0) }
    }

    /// `printLine` with `write` for stdout; `rowsPerPiece` renders on two threads.
    static func writeLine(_ s: Snapshot, buffer: inout [UInt8], rowsPerPiece: Int?, to write: ([UInt8]) throws -> Void) rethrows {
        buffer.removeAll(keepingCapacity: true)
        if let rowsPerPiece {
            try document(s, into: &buffer) { w in
                try w.flush(ifAtLeast: 0, write)  // all before the first connection
                try PiecewiseRender.write(count: s.connections.count, rowsPerPiece: rowsPerPiece,
                                          render: { connections(s, $0, into: &$1) }, to: write)
            }
        } else {
            try render(s, into: &buffer, flushingEvery: 1 << 20, to: write)
        }
        buffer.append(0x0a)
        try write(buffer)
    }

    /// Appends the snapshot's JSON to `buffer`, handing the buffer to `write` and emptying it
    /// whenever it holds `chunk` bytes after a connection: a report of any size then needs
    /// about `chunk` bytes of buffer. What is left at the end stays in `buffer`.
    public static func render(_ s: Snapshot, into buffer: inout [UInt8], flushingEvery chunk: Int,
                              to write: ([UInt8]) throws -> Void) rethrows {
        try document(s, into: &buffer) { w in
            // By index: the element is lent to `connection`, where `for c in` copied it (and
            // retained its strings and arrays) first.
            for i in s.connections.indices {
                connection(s.connections[i], &w)
                try w.flush(ifAtLeast: chunk, write)
            }
        }
    }

    /// Connections `range` of `s` appended to `buffer` as elements of the connections array,
    /// each after a comma but the very first: what one writer going through them all writes.
    static func connections(_ s: Snapshot, _ range: Range<Int>, into buffer: inout [UInt8]) {
        if range.lowerBound > 0 { buffer.append(0x2c) }
        var w = JSONWriter(appendingTo: &buffer)
        for i in range { connection(s.connections[i], &w) }
        w.finish(into: &buffer)
    }

    /// The snapshot's JSON, `connections` writing the elements of the connections array.
    private static func document(_ s: Snapshot, into buffer: inout [UInt8], connections: (inout JSONWriter) throws -> Void) rethrows {
        var w = JSONWriter(appendingTo: &buffer)
        w.beginObject()
        w.field("time", s.time, decimals: 3)
        w.field("namespace", s.namespace)
        w.beginArray("connections")
        try connections(&w)
        w.endArray()
        w.beginArray("listeners")
        for l in s.listeners {
            w.beginObject()
            w.field("local", address: l.local)
            w.field("family", family(l.local.address))
            process(l.process, &w)
            w.field("inode", l.inode)
            w.endObject()
        }
        w.endArray()
        w.beginArray("interfaces")
        for i in s.interfaces {
            w.beginObject()
            w.field("name", i.name)
            w.field("index", i.index)
            w.field("share", i.share, decimals: 4)
            w.field("bytes", i.bytes)
            w.field("bytes_tx", i.bytesTx)
            w.field("bytes_rx", i.bytesRx)
            w.field("tx_bps", i.txRate, decimals: 0)
            w.field("rx_bps", i.rxRate, decimals: 0)
            w.field("subflows", i.subflows)
            w.endObject()
        }
        w.endArray()
        w.field("unmatched_subflows", s.unmatchedSubflows)
        w.endObject()
        w.finish(into: &buffer)
    }

    static func family(_ a: IPAddress) -> String { a.family == .ipv4 ? "ipv4" : "ipv6" }

    static func process(_ p: ProcessRef?, _ w: inout JSONWriter) {
        guard let p else { w.null("process"); return }
        w.beginObject("process")
        w.field("pid", p.pid)
        w.field("name", p.name)
        w.endObject()
    }

    static func connection(_ c: Connection, _ w: inout JSONWriter) {
        // Read once: each `c.info?.…` copied the whole MPTCPInfo again (a memcpy a field).
        let info = c.info
        w.beginObject()
        w.field("token", hex: info?.token)
        w.field("local", address: c.local)
        w.field("remote", address: c.remote)
        w.field("family", family(c.local.address))
        w.field("state", SocketState.name(c.state))
        w.field("fallback", c.fallback)
        process(c.process, &w)
        w.field("inode", c.inode)
        w.field("uid", c.uid)
        w.field("cookie", c.cookie)
        w.field("subflows_total", info?.subflowsTotal.map(Int.init) ?? c.subflows.count)
        w.field("bytes_sent", info?.bytesSent)
        w.field("bytes_received", info?.bytesReceived)
        w.field("bytes_acked", info?.bytesAcked)
        w.field("bytes_retrans", info?.bytesRetrans)
        w.field("retransmits", info?.retransmits)
        w.field("checksums", info?.checksumEnabled)
        w.field("last_data_sent_ms", info?.lastDataSent)
        w.field("last_data_recv_ms", info?.lastDataReceived)
        w.field("last_ack_recv_ms", info?.lastAckReceived)
        w.field("tx_bps", c.txRate, decimals: 0)
        w.field("rx_bps", c.rxRate, decimals: 0)
        w.beginArray("interfaces")
        for s in c.interfaceShares {
            w.beginObject()
            w.field("name", s.name)
            w.field("share", s.share, decimals: 4)
            w.endObject()
        }
        w.endArray()
        w.beginArray("subflows")
        for i in c.subflows.indices { subflow(c.subflows[i], &w) }
        w.endArray()
        w.endObject()
    }

    static func subflow(_ sf: Subflow, _ w: inout JSONWriter) {
        // Not optional (no field known when there is none, `Subflow.tcpInfo`): each `t?.x` of
        // an optional copied the whole tcp_info to read one field.
        let t = sf.tcpInfo
        let ulp = sf.ulp
        w.beginObject()
        w.field("local", address: sf.local)
        w.field("remote", address: sf.remote)
        w.field("interface", sf.interfaceName)
        w.field("ifindex", sf.interfaceIndex)
        w.field("state", SocketState.name(sf.state))
        w.field("initial", ulp?.isJoin.map { !$0 })
        w.field("backup", sf.backup)
        let status = sf.status
        w.field("status", status.word)
        if case .stalled(let sinceAck) = status { w.field("stalled_ms", sinceAck) } else { w.null("stalled_ms") }
        w.field("local_id", ulp?.localID)
        w.field("remote_id", ulp?.remoteID)
        w.field("token_remote", hex: ulp?.tokenRemote.flatMap { $0 == 0 ? nil : $0 })
        w.field("cwnd", t.sndCwnd)
        w.field("ssthresh", t.ssthreshIsInfinite ? nil : t.sndSsthresh)
        w.field("rtt_ms", t.rtt.map { Double($0) / 1000 })
        w.field("rttvar_ms", t.rttVar.map { Double($0) / 1000 })
        w.field("min_rtt_ms", t.minRtt.map { Double($0) / 1000 })
        w.field("bytes_acked", t.bytesAcked)
        w.field("bytes_received", t.bytesReceived)
        w.field("bytes_sent", t.bytesSent)
        w.field("bytes_retrans", t.bytesRetrans)
        w.field("retrans", t.totalRetrans)
        w.field("unacked", t.unacked)
        w.field("rto_backoff", t.backoff)
        w.field("last_ack_ms", t.lastAckReceived)
        w.field("last_data_sent_ms", t.lastDataSent)
        w.field("last_data_recv_ms", t.lastDataReceived)
        w.field("delivery_rate_bps", t.deliveryRate.map { $0 &* 8 })
        w.field("pacing_rate_bps", t.pacingRate.flatMap { $0 == UInt64.max ? nil : $0 &* 8 })
        w.field("tx_bps", sf.txRate, decimals: 0)
        w.field("rx_bps", sf.rxRate, decimals: 0)
        w.field("congestion", sf.congestion)
        w.field("cookie", sf.cookie)
        w.endObject()
    }
}
