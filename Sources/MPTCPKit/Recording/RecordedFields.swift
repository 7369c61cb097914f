/// One recorded value: what a field of a connection, subflow, listener or event held. Every
/// raw sample value is a number or a text (or unknown), so one delta rule covers all of them.
enum FieldValue: Equatable, Sendable {
    case none
    case int(UInt64)
    case text(String)

    var int: UInt64? { if case .int(let v) = self { return v } else { return nil } }
    var text: String? { if case .text(let v) = self { return v } else { return nil } }
}

/// The fields of one kind of value, in their recorded order (docs/recording.md, "Fields"): how to
/// read each from the model and put it back. Values are built in field order, so a field that
/// says a nested struct is there (`tcp_info`'s length) comes before that struct's fields.
/// Unchecked Sendable: built once and never changed; its closures capture only key paths.
struct FieldSchema<T>: @unchecked Sendable {
    let names: [String]
    let get: [(T) -> FieldValue]
    let set: [(inout T, FieldValue) throws(RecordingDamage) -> Void]

    var count: Int { names.count }

    func values(_ v: T) -> [FieldValue] { get.map { $0(v) } }

    func apply(_ values: [FieldValue], to v: inout T) throws(RecordingDamage) {
        for i in 0..<min(values.count, set.count) { try set[i](&v, values[i]) }
    }
}

/// Builds a schema field by field.
struct FieldSchemaBuilder<T> {
    private(set) var names: [String] = []
    private var get: [(T) -> FieldValue] = []
    private var set: [(inout T, FieldValue) throws(RecordingDamage) -> Void] = []

    var schema: FieldSchema<T> { FieldSchema(names: names, get: get, set: set) }

    mutating func raw(_ name: String, _ g: @escaping (T) -> FieldValue,
                      _ s: @escaping (inout T, FieldValue) throws(RecordingDamage) -> Void) {
        names.append(name)
        get.append(g)
        set.append(s)
    }

    /// An optional unsigned number that fits in `N`.
    mutating func number<N: FixedWidthInteger & UnsignedInteger>(_ name: String, _ path: WritableKeyPath<T, N?>) {
        raw(name, { $0[keyPath: path].map { .int(UInt64($0)) } ?? .none }) { v, f throws(RecordingDamage) in
            v[keyPath: path] = try Self.fit(f, name)
        }
    }

    /// A number that is always there.
    mutating func number<N: FixedWidthInteger & UnsignedInteger>(_ name: String, _ path: WritableKeyPath<T, N>) {
        raw(name, { .int(UInt64($0[keyPath: path])) }) { v, f throws(RecordingDamage) in
            guard let n: N = try Self.fit(f, name) else { throw RecordingDamage("\(name) is missing") }
            v[keyPath: path] = n
        }
    }

    /// A signed 32-bit number, kept as its bit pattern.
    mutating func signed(_ name: String, _ path: WritableKeyPath<T, Int32?>) {
        raw(name, { $0[keyPath: path].map { .int(UInt64(UInt32(bitPattern: $0))) } ?? .none }) { v, f throws(RecordingDamage) in
            v[keyPath: path] = try (Self.fit(f, name) as UInt32?).map { Int32(bitPattern: $0) }
        }
    }

    mutating func flag(_ name: String, _ path: WritableKeyPath<T, Bool?>) {
        raw(name, { $0[keyPath: path].map { .int($0 ? 1 : 0) } ?? .none }) { v, f throws(RecordingDamage) in
            v[keyPath: path] = try (Self.fit(f, name) as UInt8?).map { $0 != 0 }
        }
    }

    mutating func text(_ name: String, _ path: WritableKeyPath<T, String?>) {
        raw(name, { $0[keyPath: path].map { .text($0) } ?? .none }) { v, f throws(RecordingDamage) in
            switch f {
            case .none: v[keyPath: path] = nil
            case .text(let s): v[keyPath: path] = s
            case .int: throw RecordingDamage("\(name) is a number where a text belongs")
            }
        }
    }

    mutating func double(_ name: String, _ path: WritableKeyPath<T, Double>) {
        raw(name, { .int($0[keyPath: path].bitPattern) }) { v, f throws(RecordingDamage) in
            guard let bits = f.int else { throw RecordingDamage("\(name) is missing") }
            v[keyPath: path] = Double(bitPattern: bits)
        }
    }

    /// An address and port as four numbers: family, the two address words, the port. Nil (for
    /// the optional ones) is a missing family.
    mutating func address(_ name: String, _ path: WritableKeyPath<T, SocketAddress?>) {
        raw(name + ".family", { $0[keyPath: path].map { .int(UInt64($0.address.family.rawValue)) } ?? .none }) { v, f throws(RecordingDamage) in
            guard let raw: UInt8 = try Self.fit(f, name) else { v[keyPath: path] = nil; return }
            guard let family = IPAddress.Family(rawValue: raw) else { throw RecordingDamage("\(name) has address family \(raw)") }
            v[keyPath: path] = SocketAddress(IPAddress(family: family, high: 0, low: 0), 0)
        }
        raw(name + ".high", { $0[keyPath: path].map { .int($0.address.high) } ?? .none }) { v, f throws(RecordingDamage) in
            guard let a = v[keyPath: path] else { return }
            v[keyPath: path] = SocketAddress(IPAddress(family: a.address.family, high: f.int ?? 0, low: a.address.low), a.port)
        }
        raw(name + ".low", { $0[keyPath: path].map { .int($0.address.low) } ?? .none }) { v, f throws(RecordingDamage) in
            guard let a = v[keyPath: path] else { return }
            v[keyPath: path] = SocketAddress(IPAddress(family: a.address.family, high: a.address.high, low: f.int ?? 0), a.port)
        }
        raw(name + ".port", { $0[keyPath: path].map { .int(UInt64($0.port)) } ?? .none }) { v, f throws(RecordingDamage) in
            guard let a = v[keyPath: path] else { return }
            v[keyPath: path] = SocketAddress(a.address, try Self.fit(f, name) ?? 0)
        }
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
    static let connection: FieldSchema<Connection> = {
        var b = FieldSchemaBuilder<Connection>()
        b.address("local", \.optionalLocal)
        b.address("remote", \.optionalRemote)
        b.number("state", \.stateValue)
        b.number("inode", \.inode)
        b.number("uid", \.uid)
        b.signed("process.pid", \.processID)
        b.text("process.name", \.processName)
        b.number("info.length", \.infoLength)
        b.number("info.subflows", \.infoValue.extraSubflows)
        b.number("info.add_addr_signal", \.infoValue.addAddrSignal)
        b.number("info.add_addr_accepted", \.infoValue.addAddrAccepted)
        b.number("info.subflows_max", \.infoValue.subflowsMax)
        b.number("info.add_addr_signal_max", \.infoValue.addAddrSignalMax)
        b.number("info.add_addr_accepted_max", \.infoValue.addAddrAcceptedMax)
        b.number("info.flags", \.infoValue.flags)
        b.number("info.token", \.infoValue.token)
        b.number("info.write_seq", \.infoValue.writeSeq)
        b.number("info.snd_una", \.infoValue.sndUna)
        b.number("info.rcv_nxt", \.infoValue.rcvNxt)
        b.number("info.local_addr_used", \.infoValue.localAddrUsed)
        b.number("info.local_addr_max", \.infoValue.localAddrMax)
        b.flag("info.csum_enabled", \.infoValue.checksumEnabled)
        b.number("info.retransmits", \.infoValue.retransmits)
        b.number("info.bytes_retrans", \.infoValue.bytesRetrans)
        b.number("info.bytes_sent", \.infoValue.bytesSent)
        b.number("info.bytes_received", \.infoValue.bytesReceived)
        b.number("info.bytes_acked", \.infoValue.bytesAcked)
        b.number("info.subflows_total", \.infoValue.subflowsTotal)
        b.number("info.last_data_sent", \.infoValue.lastDataSent)
        b.number("info.last_data_recv", \.infoValue.lastDataReceived)
        b.number("info.last_ack_recv", \.infoValue.lastAckReceived)
        return b.schema
    }()

    static let subflow: FieldSchema<Subflow> = {
        var b = FieldSchemaBuilder<Subflow>()
        b.address("local", \.optionalLocal)
        b.address("remote", \.optionalRemote)
        b.number("state", \.stateValue)
        b.number("bound_ifindex", \.boundInterfaceIndex)
        b.number("ifindex", \.interfaceIndex)
        b.number("inode", \.inode)
        b.number("uid", \.uid)
        b.text("congestion", \.congestion)
        b.flag("ulp.present", \.ulpPresent)
        b.text("ulp.name", \.ulpInfo.name)
        b.number("ulp.token_remote", \.ulpInfo.tokenRemote)
        b.number("ulp.token_local", \.ulpInfo.tokenLocal)
        b.number("ulp.flags", \.ulpInfo.flags)
        b.number("ulp.remote_id", \.ulpInfo.remoteID)
        b.number("ulp.local_id", \.ulpInfo.localID)
        b.number("tcp.length", \.tcpLength)
        b.number("tcp.state", \.tcpInfo.state)
        b.number("tcp.ca_state", \.tcpInfo.caState)
        b.number("tcp.backoff", \.tcpInfo.backoff)
        b.number("tcp.rto", \.tcpInfo.rto)
        b.number("tcp.snd_mss", \.tcpInfo.sndMss)
        b.number("tcp.unacked", \.tcpInfo.unacked)
        b.number("tcp.lost", \.tcpInfo.lost)
        b.number("tcp.retrans", \.tcpInfo.retransInFlight)
        b.number("tcp.last_data_sent", \.tcpInfo.lastDataSent)
        b.number("tcp.last_data_recv", \.tcpInfo.lastDataReceived)
        b.number("tcp.last_ack_recv", \.tcpInfo.lastAckReceived)
        b.number("tcp.pmtu", \.tcpInfo.pmtu)
        b.number("tcp.rtt", \.tcpInfo.rtt)
        b.number("tcp.rttvar", \.tcpInfo.rttVar)
        b.number("tcp.snd_ssthresh", \.tcpInfo.sndSsthresh)
        b.number("tcp.snd_cwnd", \.tcpInfo.sndCwnd)
        b.number("tcp.total_retrans", \.tcpInfo.totalRetrans)
        b.number("tcp.pacing_rate", \.tcpInfo.pacingRate)
        b.number("tcp.bytes_acked", \.tcpInfo.bytesAcked)
        b.number("tcp.bytes_received", \.tcpInfo.bytesReceived)
        b.number("tcp.segs_out", \.tcpInfo.segsOut)
        b.number("tcp.segs_in", \.tcpInfo.segsIn)
        b.number("tcp.notsent_bytes", \.tcpInfo.notSentBytes)
        b.number("tcp.min_rtt", \.tcpInfo.minRtt)
        b.number("tcp.delivery_rate", \.tcpInfo.deliveryRate)
        b.number("tcp.busy_time", \.tcpInfo.busyTime)
        b.number("tcp.bytes_sent", \.tcpInfo.bytesSent)
        b.number("tcp.bytes_retrans", \.tcpInfo.bytesRetrans)
        b.number("tcp.snd_wnd", \.tcpInfo.sndWnd)
        b.number("tcp.rcv_wnd", \.tcpInfo.rcvWnd)
        b.number("tcp.total_rto", \.tcpInfo.totalRTO)
        return b.schema
    }()

    static let listener: FieldSchema<Listener> = {
        var b = FieldSchemaBuilder<Listener>()
        b.address("local", \.optionalLocal)
        b.number("inode", \.inode)
        b.number("uid", \.uid)
        b.signed("process.pid", \.processID)
        b.text("process.name", \.processName)
        return b.schema
    }()

    static let event: FieldSchema<PathManagerEvent> = {
        var b = FieldSchemaBuilder<PathManagerEvent>()
        b.number("kind", \.kindValue)
        b.number("token", \.token)
        b.number("family", \.familyValue)
        b.address("local", \.local)
        b.address("remote", \.remote)
        b.number("local_id", \.localID)
        b.number("remote_id", \.remoteID)
        b.flag("backup", \.backup)
        b.signed("if_idx", \.interfaceIndex)
        b.text("interface", \.interfaceName)
        b.signed("error", \.errorValue)
        b.number("reset_reason", \.resetReasonValue)
        b.number("reset_flags", \.resetFlags)
        b.number("flags", \.flags)
        b.number("server_side", \.serverSideAttribute)
        b.number("timeout", \.timeout)
        b.double("time", \.time)
        b.number("monotonic", \.monotonic)
        b.flag("truncated", \.truncatedFlag)
        return b.schema
    }()
}

// Views of the model that the schemas read and write: optional where the model is not, so a
// nested struct's fields can be set one by one after the field that says it is there.

extension Connection {
    static var blank: Connection {
        let zero = SocketAddress(IPAddress(family: .ipv4, high: 0, low: 0), 0)
        return Connection(local: zero, remote: zero, state: SocketState(rawValue: 0), cookie: 0, inode: 0, uid: 0)
    }

    var optionalLocal: SocketAddress? {
        get { local }
        set { if let newValue { local = newValue } }
    }
    var optionalRemote: SocketAddress? {
        get { remote }
        set { if let newValue { remote = newValue } }
    }
    var stateValue: UInt8 {
        get { state.rawValue }
        set { state = SocketState(rawValue: newValue) }
    }
    /// The process is there when its pid is; the name follows it.
    var processID: Int32? {
        get { process?.pid }
        set { process = newValue.map { ProcessRef(pid: $0, name: "") } }
    }
    var processName: String? {
        get { process?.name }
        set { if let p = process { process = ProcessRef(pid: p.pid, name: newValue ?? "") } }
    }
    var infoLength: UInt32? {
        get { info.map { UInt32(clamping: $0.length) } }
        set {
            if let n = newValue { var i = MPTCPInfo(); i.length = Int(n); info = i } else { info = nil }
        }
    }
}

extension Connection {
    /// `info` seen as always there for the schema: a missing one reads as zeros (the reader
    /// drops them, `info.length` having said there is none), writes to a missing one go nowhere.
    var infoValue: MPTCPInfo {
        get { info ?? MPTCPInfo() }
        set { if info != nil { info = newValue } }
    }
}

extension Subflow {
    static var blank: Subflow {
        let zero = SocketAddress(IPAddress(family: .ipv4, high: 0, low: 0), 0)
        return Subflow(local: zero, remote: zero, state: SocketState(rawValue: 0), boundInterfaceIndex: 0, cookie: 0, inode: 0, uid: 0)
    }

    var optionalLocal: SocketAddress? {
        get { local }
        set { if let newValue { local = newValue } }
    }
    var optionalRemote: SocketAddress? {
        get { remote }
        set { if let newValue { remote = newValue } }
    }
    var stateValue: UInt8 {
        get { state.rawValue }
        set { state = SocketState(rawValue: newValue) }
    }
    var tcpLength: UInt32? {
        get { tcp.map { UInt32(clamping: $0.length) } }
        set {
            if let n = newValue { var t = TCPInfo(); t.length = Int(n); tcp = t } else { tcp = nil }
        }
    }
    var tcpInfo: TCPInfo {
        get { tcp ?? TCPInfo() }
        set { if tcp != nil { tcp = newValue } }
    }
    /// Whether the kernel sent INET_DIAG_ULP_INFO at all (the ulp fields can all be unknown).
    var ulpPresent: Bool? {
        get { ulp == nil ? nil : true }
        set { ulp = newValue == true ? (ulp ?? SubflowULPInfo()) : nil }
    }
    var ulpInfo: SubflowULPInfo {
        get { ulp ?? SubflowULPInfo() }
        set { if ulp != nil { ulp = newValue } }
    }
}

extension Listener {
    static var blank: Listener {
        Listener(local: SocketAddress(IPAddress(family: .ipv4, high: 0, low: 0), 0), inode: 0, uid: 0, process: nil)
    }

    var optionalLocal: SocketAddress? {
        get { local }
        set { if let newValue { local = newValue } }
    }
    var processID: Int32? {
        get { process?.pid }
        set { process = newValue.map { ProcessRef(pid: $0, name: "") } }
    }
    var processName: String? {
        get { process?.name }
        set { if let p = process { process = ProcessRef(pid: p.pid, name: newValue ?? "") } }
    }
}

extension PathManagerEvent {
    var kindValue: UInt8 {
        get { kind.rawValue }
        set { kind = PathManagerEventKind(rawValue: newValue) }
    }
    var familyValue: UInt8? {
        get { family?.rawValue }
        set { family = newValue.flatMap(IPAddress.Family.init(rawValue:)) }
    }
    var errorValue: Int32? {
        get { error?.errno }
        set { error = newValue.map(PathManagerEventError.init(errno:)) }
    }
    var resetReasonValue: UInt32? {
        get { resetReason?.code }
        set { resetReason = newValue.map(PathManagerResetReason.init(code:)) }
    }
    var truncatedFlag: Bool? {
        get { truncated }
        set { truncated = newValue ?? false }
    }
}
