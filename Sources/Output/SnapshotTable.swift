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
        head(s, into: &buffer)
        connections(s, s.connections.indices, into: &buffer)
        tail(s, into: &buffer)
    }

    /// Writes the snapshot's text with `write`, its connections rendered on two threads
    /// (`PiecewiseRender`), for a single report that nothing else runs beside (`mptop
    /// --once`); the bytes are those of `render`. `buffer` holds the parts around them.
    public static func write(_ s: Snapshot, buffer: inout [UInt8], to write: ([UInt8]) throws -> Void) rethrows {
        try self.write(s, buffer: &buffer, rowsPerPiece: PiecewiseRender.rowsPerPiece, to: write)
    }

    static func write(_ s: Snapshot, buffer: inout [UInt8], rowsPerPiece: Int, to write: ([UInt8]) throws -> Void) rethrows {
        head(s, into: &buffer)
        try write(buffer)
        try PiecewiseRender.write(count: s.connections.count, rowsPerPiece: rowsPerPiece, render: { connections(s, $0, into: &$1) }, to: write)
        buffer.removeAll(keepingCapacity: true)
        tail(s, into: &buffer)
        try write(buffer)
    }

    /// The line on top: how many connections, subflows and listeners.
    private static func head(_ s: Snapshot, into buffer: inout [UInt8]) {
        var out = Lines(buffer: buffer)
        buffer = []
        defer { buffer = out.buffer }
        let ns = s.namespace.map { "namespace '\($0.escapedForTerminal)'" } ?? "this namespace"
        out.append("MPTCP in \(ns): \(plural(s.connections.count, "connection")), \(plural(s.subflowCount, "subflow")), \(plural(s.listeners.count, "listener"))")
        if s.connections.isEmpty {
            out.append("")
            out.append("no MPTCP connections")
        }
    }

    /// Connections `range`, each after an empty line.
    static func connections(_ s: Snapshot, _ range: Range<Int>, into buffer: inout [UInt8]) {
        var out = Lines(buffer: buffer)
        buffer = []
        defer { buffer = out.buffer }
        // Every connection gets a table of its own (its columns sized to it, as `ss` does),
        // written cell by cell as bytes into two tables reused from one connection to the next.
        var ct = TextTable([("TOKEN", .left), ("LOCAL", .left), ("REMOTE", .left), ("STATE", .left), ("SUBFLOWS", .right),
                            ("TX", .right), ("RX", .right), ("SENT", .right), ("RECEIVED", .right), ("SHARE", .left), ("PROCESS", .left)])
        var st = TextTable([("IFACE", .left), ("LOCAL", .left), ("REMOTE", .left), ("STATE", .left), ("STATUS", .left), ("CWND", .right),
                            ("RTT", .right), ("RTTVAR", .right), ("ACKED", .right), ("RECEIVED", .right), ("RETRANS", .right),
                            ("TX", .right), ("RX", .right), ("FLAGS", .left)])
        st.indent = 4
        var connectionAddresses = AddressColumns(), subflowAddresses = AddressColumns()
        // Read in place, through pointers into the arrays' storage: a `for c in`, a subscript,
        // even a `borrowing` parameter, copied each connection and subflow (some 500 bytes, and
        // a retain of every string and array in it).
        s.connections.withUnsafeBufferPointer { connections in
            for k in range {
                let c = connections.baseAddress! + k
                out.append("")
                ct.removeAllRows()
                connectionRow(c, &ct, &connectionAddresses)
                ct.render(into: &out.buffer)
                guard !c.pointee.subflows.isEmpty else { continue }
                st.removeAllRows()
                c.pointee.subflows.withUnsafeBufferPointer { subflows in
                    for j in subflows.indices { subflowRow(subflows.baseAddress! + j, &st, &subflowAddresses) }
                }
                st.render(into: &out.buffer)
            }
        }
    }

    /// Listeners, interface totals, and the subflows without a connection.
    private static func tail(_ s: Snapshot, into buffer: inout [UInt8]) {
        var out = Lines(buffer: buffer)
        buffer = []
        defer { buffer = out.buffer }
        if !s.listeners.isEmpty {
            out.append("")
            var lt = TextTable([("LISTENING", .left), ("PROCESS", .left)])
            for l in s.listeners {
                lt.plainCell { $0.append(address: l.local) }
                process(l.process, &lt)
                lt.endRow()
            }
            lt.render(into: &out.buffer)
        }
        if !s.interfaces.isEmpty {
            out.append("")
            var it = TextTable([("INTERFACE", .left), ("SUBFLOWS", .right), ("SHARE", .right), ("BYTES", .right), ("TX", .right), ("RX", .right)])
            for i in s.interfaces {
                it.cell(utf8: i.name)
                it.plainCell { $0.append(decimal: i.subflows) }
                it.plainCell { $0.append(percent: i.share) }
                it.plainCell { $0.append(byteCount: i.bytes) }
                it.plainCell { $0.append(rate: i.txRate) }
                it.plainCell { $0.append(rate: i.rxRate) }
                it.endRow()
            }
            it.render(into: &out.buffer)
        }
        if s.unmatchedSubflows > 0 {
            out.append("")
            out.append("\(plural(s.unmatchedSubflows, "subflow")) without a connection (it changed during the sample)")
        }
    }

    /// TOKEN LOCAL REMOTE STATE SUBFLOWS TX RX SENT RECEIVED SHARE PROCESS.
    /// Read through the pointer, field by field, as `subflowRow` does: `c.pointee` handed on
    /// whole, even as `borrowing`, was a copy of the connection (and a retain and release of
    /// every string and array in it).
    static func connectionRow(_ c: UnsafePointer<Connection>, _ t: inout TextTable, _ addresses: inout AddressColumns) {
        // One copy of the mptcp_info (its counters unknown when there is none): each
        // `c.info?.x` copied it anew.
        let info = c.pointee.info ?? MPTCPInfo()
        t.plainCell { $0.append(token: c.pointee.token) }
        t.plainCell { addresses.local.append(c.pointee.local, to: &$0) }
        t.plainCell { addresses.remote.append(c.pointee.remote, to: &$0) }
        t.plainCell {
            $0.append(utf8: SocketState.name(c.pointee.state))
            if info.fallback { $0.append(ascii: " (fallback to TCP)") }
        }
        t.plainCell { $0.append(decimal: c.pointee.subflows.count) }
        t.plainCell { $0.append(rate: c.pointee.txRate) }
        t.plainCell { $0.append(rate: c.pointee.rxRate) }
        t.plainCell { $0.append(byteCount: info.bytesSent) }
        t.plainCell { $0.append(byteCount: info.bytesReceived) }
        // "wifi0 60% cell0 40%"
        c.pointee.interfaceShares.withUnsafeBufferPointer { shares in
            for k in shares.indices {
                if k > 0 { t.write { $0.append(0x20) } }
                t.write(utf8: shares[k].name)
                t.write {
                    $0.append(0x20)
                    $0.append(percent: shares[k].share)
                }
            }
        }
        t.endCell()
        process(c.pointee.process, &t)
        t.endRow()
    }

    /// IFACE LOCAL REMOTE STATE STATUS CWND RTT RTTVAR ACKED RECEIVED RETRANS TX RX FLAGS.
    /// Read through the pointer, field by field: a `borrowing` subflow from `pointee` was copied
    /// whole first (the optimizer cannot tell that the writes into the table leave it alone).
    static func subflowRow(_ sf: UnsafePointer<Subflow>, _ t: inout TextTable, _ addresses: inout AddressColumns) {
        if let name = sf.pointee.interfaceName { t.cell(utf8: name) } else { t.plainCell { $0.append(0x3f) } }
        t.plainCell { addresses.local.append(sf.pointee.local, to: &$0) }
        t.plainCell { addresses.remote.append(sf.pointee.remote, to: &$0) }
        t.plainCell { $0.append(utf8: SocketState.name(sf.pointee.state)) }
        t.plainCell { status(SubflowStatus(sf), &$0) }
        t.plainCell { decimalOrDash(sf.pointee.tcpInfo.sndCwnd, &$0) }
        t.plainCell { $0.append(milliseconds: sf.pointee.tcpInfo.rtt) }
        t.plainCell { $0.append(milliseconds: sf.pointee.tcpInfo.rttVar) }
        t.plainCell { $0.append(byteCount: sf.pointee.tcpInfo.bytesAcked) }
        t.plainCell { $0.append(byteCount: sf.pointee.tcpInfo.bytesReceived) }
        t.plainCell { decimalOrDash(sf.pointee.tcpInfo.totalRetrans, &$0) }
        t.plainCell { $0.append(rate: sf.pointee.txRate) }
        t.plainCell { $0.append(rate: sf.pointee.rxRate) }
        t.plainCell { flags(isJoin: sf.pointee.ulp?.isJoin, localID: sf.pointee.ulp?.localID, backup: sf.pointee.backup, &$0) }
        t.endRow()
    }

    /// A cell "name[pid]", "-" for none.
    static func process(_ p: ProcessRef?, _ t: inout TextTable) {
        guard let p else { t.plainCell { $0.append(0x2d) }; return }
        t.write(utf8: p.name)
        t.write {
            $0.append(0x5b)
            $0.append(decimal: p.pid)
            $0.append(0x5d)
        }
        t.endCell()
    }

    static func decimalOrDash<I: BinaryInteger>(_ v: I?, _ out: inout TextRoom) {
        if let v { out.append(decimal: v) } else { out.append(0x2d) }
    }

    /// The report's lines, each ending in a newline.
    struct Lines {
        var buffer: [UInt8]

        mutating func append(_ line: String) {
            if !line.isEmpty { buffer.append(utf8: line) }
            buffer.append(0x0a)
        }
    }

    /// "initial" or "join", "id N" (not 0), "backup", comma-separated.
    static func flags(isJoin: Bool?, localID: UInt8?, backup: Bool, _ out: inout TextRoom) {
        var first = true
        func word(_ w: StaticString, _ out: inout TextRoom) {
            if !first { out.append(0x2c) }
            first = false
            out.append(ascii: w)
        }
        if let join = isJoin { word(join ? "join" : "initial", &out) }
        if let id = localID, id != 0 {
            word("id ", &out)
            out.append(decimal: id)
        }
        if backup { word("backup", &out) }
    }

    /// "active", "stalled 4.2s" (since the last ACK).
    static func statusText(_ status: SubflowStatus) -> String {
        var bytes: [UInt8] = []
        bytes.appendText { self.status(status, &$0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func status(_ status: SubflowStatus, _ out: inout TextRoom) {
        out.append(utf8: status.word)
        if case .stalled(let ms?) = status {
            out.append(0x20)
            out.append(age: ms)
        }
    }

    static func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
}
