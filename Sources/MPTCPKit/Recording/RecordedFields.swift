/// One recorded value: what a field of a connection, subflow, listener or event held. Every
/// raw sample value is a number or a text (or unknown), so one delta rule covers all of them.
enum FieldValue: Equatable, Sendable {
    case none
    case int(UInt64)
    case text(String)

    var int: UInt64? { if case .int(let v) = self { return v } else { return nil } }
}

/// The fields of one kind of value, in their recorded order (docs/recording.md, "Fields"): how to
/// read them from the model and put them back. Built of parts: one field, an address (four), or
/// a nested struct (`tcp_info`, `mptcp_info`, the ULP info) whose first field says whether it is
/// there. Plain closures, not key paths: this runs for every field of every socket of every
/// sample, and a key path costs several times a closure call.
/// Unchecked Sendable: built once and never changed; its closures capture nothing mutable.
struct FieldSchema<T>: @unchecked Sendable {
    struct Part {
        let width: Int
        let get: (T, inout [FieldValue]) -> Void
        let set: (inout T, ArraySlice<FieldValue>) throws(RecordingDamage) -> Void
    }

    let names: [String]
    let parts: [Part]

    var count: Int { names.count }

    func values(_ v: T) -> [FieldValue] {
        var out: [FieldValue] = []
        out.reserveCapacity(names.count)
        append(v, to: &out)
        return out
    }

    func append(_ v: T, to out: inout [FieldValue]) {
        for p in parts { p.get(v, &out) }
    }

    func apply(_ values: ArraySlice<FieldValue>, to v: inout T) throws(RecordingDamage) {
        guard values.count == names.count else { throw RecordingDamage("\(values.count) fields where \(names.count) belong") }
        var i = values.startIndex
        for p in parts {
            try p.set(&v, values[i..<(i + p.width)])
            i += p.width
        }
    }
}

/// Builds a schema part by part.
struct FieldSchemaBuilder<T> {
    private var names: [String] = []
    private var parts: [FieldSchema<T>.Part] = []

    var schema: FieldSchema<T> { FieldSchema(names: names, parts: parts) }

    private mutating func one(_ name: String, _ get: @escaping (T) -> FieldValue,
                              _ set: @escaping (inout T, FieldValue) throws(RecordingDamage) -> Void) {
        names.append(name)
        parts.append(.init(width: 1, get: { v, out in out.append(get(v)) },
                           set: { v, f throws(RecordingDamage) in try set(&v, f[f.startIndex]) }))
    }

    /// An unsigned number that fits in `N` (unknown: nil).
    mutating func number<N: FixedWidthInteger & UnsignedInteger>(_ name: String, _ get: @escaping (T) -> N?,
                                                                 _ set: @escaping (inout T, N?) -> Void) {
        one(name, { get($0).map { .int(UInt64($0)) } ?? .none }) { v, f throws(RecordingDamage) in set(&v, try Self.fit(f, name)) }
    }

    /// A signed 32-bit number, kept as its bit pattern.
    mutating func signed(_ name: String, _ get: @escaping (T) -> Int32?, _ set: @escaping (inout T, Int32?) -> Void) {
        number(name, { get($0).map { UInt32(bitPattern: $0) } }) { v, n in set(&v, n.map { Int32(bitPattern: $0) }) }
    }

    mutating func flag(_ name: String, _ get: @escaping (T) -> Bool?, _ set: @escaping (inout T, Bool?) -> Void) {
        number(name, { get($0).map { $0 ? UInt8(1) : 0 } }) { v, n in set(&v, n.map { $0 != 0 }) }
    }

    mutating func text(_ name: String, _ get: @escaping (T) -> String?, _ set: @escaping (inout T, String?) -> Void) {
        one(name, { get($0).map { .text($0) } ?? .none }) { v, f throws(RecordingDamage) in
            switch f {
            case .none: set(&v, nil)
            case .text(let s): set(&v, s)
            case .int: throw RecordingDamage("\(name) is a number where a text belongs")
            }
        }
    }

    mutating func double(_ name: String, _ get: @escaping (T) -> Double, _ set: @escaping (inout T, Double) -> Void) {
        number(name, { get($0).bitPattern }) { v, bits in set(&v, Double(bitPattern: bits ?? 0)) }
    }

    /// An address and port as four numbers: family, the two address words, the port.
    mutating func address(_ name: String, _ get: @escaping (T) -> SocketAddress?, _ set: @escaping (inout T, SocketAddress?) -> Void) {
        names += [name + ".family", name + ".high", name + ".low", name + ".port"]
        parts.append(.init(width: 4, get: { v, out in
            guard let a = get(v) else {
                out += [.none, .none, .none, .none]
                return
            }
            out += [.int(UInt64(a.address.family.rawValue)), .int(a.address.high), .int(a.address.low), .int(UInt64(a.port))]
        }, set: { v, f throws(RecordingDamage) in
            let i = f.startIndex
            guard let raw: UInt8 = try Self.fit(f[i], name) else { set(&v, nil); return }
            guard let family = IPAddress.Family(rawValue: raw) else { throw RecordingDamage("\(name) has address family \(raw)") }
            let port: UInt16 = try Self.fit(f[i + 3], name) ?? 0
            set(&v, SocketAddress(IPAddress(family: family, high: f[i + 1].int ?? 0, low: f[i + 2].int ?? 0), port))
        }))
    }

    /// A struct inside the value that may be missing: a field saying it is there, then its own
    /// fields (all unknown when it is missing), read into `blank` when it is there.
    mutating func nested<U>(_ name: String, _ inner: FieldSchema<U>, blank: U, _ get: @escaping (T) -> U?,
                            _ set: @escaping (inout T, U?) -> Void) {
        names += [name] + inner.names.map { name + "." + $0 }
        let missing = [FieldValue](repeating: .none, count: inner.count + 1)
        parts.append(.init(width: inner.count + 1, get: { v, out in
            guard let u = get(v) else {
                out += missing
                return
            }
            out.append(.int(1))
            inner.append(u, to: &out)
        }, set: { v, f throws(RecordingDamage) in
            guard f[f.startIndex] != .none else { set(&v, nil); return }
            var u = blank
            try inner.apply(f.dropFirst(), to: &u)
            set(&v, u)
        }))
    }

    static func fit<N: FixedWidthInteger & UnsignedInteger>(_ f: FieldValue, _ name: String) throws(RecordingDamage) -> N? {
        switch f {
        case .none: return nil
        case .int(let v):
            guard let n = N(exactly: v) else { throw RecordingDamage("\(name) is \(v), out of its range") }
            return n
        case .text: throw RecordingDamage("\(name) is a text where a number belongs")
        }
    }
}

/// The schemas of what a sample holds. The order is the format: fields are only ever added at
/// the end, with a new format version.
enum RecordedFields {
    static let mptcpInfo: FieldSchema<MPTCPInfo> = {
        var b = FieldSchemaBuilder<MPTCPInfo>()
        b.number("length", { UInt32(clamping: $0.length) }) { $0.length = Int($1 ?? 0) }
        b.number("subflows", { $0.extraSubflows }) { $0.extraSubflows = $1 ?? 0 }
        b.number("add_addr_signal", { $0.addAddrSignal }) { $0.addAddrSignal = $1 ?? 0 }
        b.number("add_addr_accepted", { $0.addAddrAccepted }) { $0.addAddrAccepted = $1 ?? 0 }
        b.number("subflows_max", { $0.subflowsMax }) { $0.subflowsMax = $1 ?? 0 }
        b.number("add_addr_signal_max", { $0.addAddrSignalMax }) { $0.addAddrSignalMax = $1 ?? 0 }
        b.number("add_addr_accepted_max", { $0.addAddrAcceptedMax }) { $0.addAddrAcceptedMax = $1 ?? 0 }
        b.number("flags", { $0.flags }) { $0.flags = $1 ?? 0 }
        b.number("token", { $0.token }) { $0.token = $1 ?? 0 }
        b.number("write_seq", { $0.writeSeq }) { $0.writeSeq = $1 ?? 0 }
        b.number("snd_una", { $0.sndUna }) { $0.sndUna = $1 ?? 0 }
        b.number("rcv_nxt", { $0.rcvNxt }) { $0.rcvNxt = $1 ?? 0 }
        b.number("local_addr_used", { $0.localAddrUsed }) { $0.localAddrUsed = $1 }
        b.number("local_addr_max", { $0.localAddrMax }) { $0.localAddrMax = $1 }
        b.flag("csum_enabled", { $0.checksumEnabled }) { $0.checksumEnabled = $1 }
        b.number("retransmits", { $0.retransmits }) { $0.retransmits = $1 }
        b.number("bytes_retrans", { $0.bytesRetrans }) { $0.bytesRetrans = $1 }
        b.number("bytes_sent", { $0.bytesSent }) { $0.bytesSent = $1 }
        b.number("bytes_received", { $0.bytesReceived }) { $0.bytesReceived = $1 }
        b.number("bytes_acked", { $0.bytesAcked }) { $0.bytesAcked = $1 }
        b.number("subflows_total", { $0.subflowsTotal }) { $0.subflowsTotal = $1 }
        b.number("last_data_sent", { $0.lastDataSent }) { $0.lastDataSent = $1 }
        b.number("last_data_recv", { $0.lastDataReceived }) { $0.lastDataReceived = $1 }
        b.number("last_ack_recv", { $0.lastAckReceived }) { $0.lastAckReceived = $1 }
        return b.schema
    }()

    static let tcpInfo: FieldSchema<TCPInfo> = {
        var b = FieldSchemaBuilder<TCPInfo>()
        b.number("length", { UInt32(clamping: $0.length) }) { $0.length = Int($1 ?? 0) }
        b.number("state", { $0.state }) { $0.state = $1 }
        b.number("ca_state", { $0.caState }) { $0.caState = $1 }
        b.number("backoff", { $0.backoff }) { $0.backoff = $1 }
        b.number("rto", { $0.rto }) { $0.rto = $1 }
        b.number("snd_mss", { $0.sndMss }) { $0.sndMss = $1 }
        b.number("unacked", { $0.unacked }) { $0.unacked = $1 }
        b.number("lost", { $0.lost }) { $0.lost = $1 }
        b.number("retrans", { $0.retransInFlight }) { $0.retransInFlight = $1 }
        b.number("last_data_sent", { $0.lastDataSent }) { $0.lastDataSent = $1 }
        b.number("last_data_recv", { $0.lastDataReceived }) { $0.lastDataReceived = $1 }
        b.number("last_ack_recv", { $0.lastAckReceived }) { $0.lastAckReceived = $1 }
        b.number("pmtu", { $0.pmtu }) { $0.pmtu = $1 }
        b.number("rtt", { $0.rtt }) { $0.rtt = $1 }
        b.number("rttvar", { $0.rttVar }) { $0.rttVar = $1 }
        b.number("snd_ssthresh", { $0.sndSsthresh }) { $0.sndSsthresh = $1 }
        b.number("snd_cwnd", { $0.sndCwnd }) { $0.sndCwnd = $1 }
        b.number("total_retrans", { $0.totalRetrans }) { $0.totalRetrans = $1 }
        b.number("pacing_rate", { $0.pacingRate }) { $0.pacingRate = $1 }
        b.number("bytes_acked", { $0.bytesAcked }) { $0.bytesAcked = $1 }
        b.number("bytes_received", { $0.bytesReceived }) { $0.bytesReceived = $1 }
        b.number("segs_out", { $0.segsOut }) { $0.segsOut = $1 }
        b.number("segs_in", { $0.segsIn }) { $0.segsIn = $1 }
        b.number("notsent_bytes", { $0.notSentBytes }) { $0.notSentBytes = $1 }
        b.number("min_rtt", { $0.minRtt }) { $0.minRtt = $1 }
        b.number("delivery_rate", { $0.deliveryRate }) { $0.deliveryRate = $1 }
        b.number("busy_time", { $0.busyTime }) { $0.busyTime = $1 }
        b.number("bytes_sent", { $0.bytesSent }) { $0.bytesSent = $1 }
        b.number("bytes_retrans", { $0.bytesRetrans }) { $0.bytesRetrans = $1 }
        b.number("snd_wnd", { $0.sndWnd }) { $0.sndWnd = $1 }
        b.number("rcv_wnd", { $0.rcvWnd }) { $0.rcvWnd = $1 }
        b.number("total_rto", { $0.totalRTO }) { $0.totalRTO = $1 }
        return b.schema
    }()

    static let ulpInfo: FieldSchema<SubflowULPInfo> = {
        var b = FieldSchemaBuilder<SubflowULPInfo>()
        b.text("name", { $0.name }) { $0.name = $1 }
        b.number("token_remote", { $0.tokenRemote }) { $0.tokenRemote = $1 }
        b.number("token_local", { $0.tokenLocal }) { $0.tokenLocal = $1 }
        b.number("flags", { $0.flags }) { $0.flags = $1 }
        b.number("remote_id", { $0.remoteID }) { $0.remoteID = $1 }
        b.number("local_id", { $0.localID }) { $0.localID = $1 }
        return b.schema
    }()

    static let connection: FieldSchema<Connection> = {
        var b = FieldSchemaBuilder<Connection>()
        b.address("local", { $0.local }) { if let a = $1 { $0.local = a } }
        b.address("remote", { $0.remote }) { if let a = $1 { $0.remote = a } }
        b.number("state", { $0.state.rawValue }) { $0.state = SocketState(rawValue: $1 ?? 0) }
        b.number("inode", { $0.inode }) { $0.inode = $1 ?? 0 }
        b.number("uid", { $0.uid }) { $0.uid = $1 ?? 0 }
        b.signed("process.pid", { $0.process?.pid }) { c, pid in c.process = pid.map { ProcessRef(pid: $0, name: "") } }
        b.text("process.name", { $0.process?.name }) { c, name in c.process = c.process.map { ProcessRef(pid: $0.pid, name: name ?? "") } }
        b.nested("info", mptcpInfo, blank: MPTCPInfo(), { $0.info }) { $0.info = $1 }
        return b.schema
    }()

    static let subflow: FieldSchema<Subflow> = {
        var b = FieldSchemaBuilder<Subflow>()
        b.address("local", { $0.local }) { if let a = $1 { $0.local = a } }
        b.address("remote", { $0.remote }) { if let a = $1 { $0.remote = a } }
        b.number("state", { $0.state.rawValue }) { $0.state = SocketState(rawValue: $1 ?? 0) }
        b.number("bound_ifindex", { $0.boundInterfaceIndex }) { $0.boundInterfaceIndex = $1 ?? 0 }
        b.number("ifindex", { $0.interfaceIndex }) { $0.interfaceIndex = $1 }
        b.number("inode", { $0.inode }) { $0.inode = $1 ?? 0 }
        b.number("uid", { $0.uid }) { $0.uid = $1 ?? 0 }
        b.text("congestion", { $0.congestion }) { $0.congestion = $1 }
        b.nested("ulp", ulpInfo, blank: SubflowULPInfo(), { $0.ulp }) { $0.ulp = $1 }
        b.nested("tcp", tcpInfo, blank: TCPInfo(), { $0.tcp }) { $0.tcp = $1 }
        return b.schema
    }()

    static let listener: FieldSchema<Listener> = {
        var b = FieldSchemaBuilder<Listener>()
        b.address("local", { $0.local }) { if let a = $1 { $0.local = a } }
        b.number("inode", { $0.inode }) { $0.inode = $1 ?? 0 }
        b.number("uid", { $0.uid }) { $0.uid = $1 ?? 0 }
        b.signed("process.pid", { $0.process?.pid }) { l, pid in l.process = pid.map { ProcessRef(pid: $0, name: "") } }
        b.text("process.name", { $0.process?.name }) { l, name in l.process = l.process.map { ProcessRef(pid: $0.pid, name: name ?? "") } }
        return b.schema
    }()

    static let event: FieldSchema<PathManagerEvent> = {
        var b = FieldSchemaBuilder<PathManagerEvent>()
        b.number("kind", { $0.kind.rawValue }) { $0.kind = PathManagerEventKind(rawValue: $1 ?? 0) }
        b.number("token", { $0.token }) { $0.token = $1 }
        b.number("family", { $0.family?.rawValue }) { $0.family = $1.flatMap(IPAddress.Family.init(rawValue:)) }
        b.address("local", { $0.local }) { $0.local = $1 }
        b.address("remote", { $0.remote }) { $0.remote = $1 }
        b.number("local_id", { $0.localID }) { $0.localID = $1 }
        b.number("remote_id", { $0.remoteID }) { $0.remoteID = $1 }
        b.flag("backup", { $0.backup }) { $0.backup = $1 }
        b.signed("if_idx", { $0.interfaceIndex }) { $0.interfaceIndex = $1 }
        b.text("interface", { $0.interfaceName }) { $0.interfaceName = $1 }
        b.signed("error", { $0.error?.errno }) { $0.error = $1.map(PathManagerEventError.init(errno:)) }
        b.number("reset_reason", { $0.resetReason?.code }) { $0.resetReason = $1.map(PathManagerResetReason.init(code:)) }
        b.number("reset_flags", { $0.resetFlags }) { $0.resetFlags = $1 }
        b.number("flags", { $0.flags }) { $0.flags = $1 }
        b.number("server_side", { $0.serverSideAttribute }) { $0.serverSideAttribute = $1 }
        b.number("timeout", { $0.timeout }) { $0.timeout = $1 }
        b.double("time", { $0.time }) { $0.time = $1 }
        b.number("monotonic", { $0.monotonic }) { $0.monotonic = $1 ?? 0 }
        b.flag("truncated", { $0.truncated }) { $0.truncated = $1 ?? false }
        return b.schema
    }()
}

extension Connection {
    /// What a recorded connection's fields are put into.
    static var blank: Connection {
        let zero = SocketAddress(IPAddress(family: .ipv4, high: 0, low: 0), 0)
        return Connection(local: zero, remote: zero, state: SocketState(rawValue: 0), cookie: 0, inode: 0, uid: 0)
    }
}

extension Subflow {
    static var blank: Subflow {
        let zero = SocketAddress(IPAddress(family: .ipv4, high: 0, low: 0), 0)
        return Subflow(local: zero, remote: zero, state: SocketState(rawValue: 0), boundInterfaceIndex: 0, cookie: 0, inode: 0, uid: 0)
    }
}

extension Listener {
    static var blank: Listener {
        Listener(local: SocketAddress(IPAddress(family: .ipv4, high: 0, low: 0), 0), inode: 0, uid: 0, process: nil)
    }
}
