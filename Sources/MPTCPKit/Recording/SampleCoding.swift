/// Samples as keyframes and deltas (docs/recording.md, "Samples"). Both sides keep the fields of
/// every socket in the previous sample of the block; `reset()` at a block start makes the next
/// sample a keyframe. What is recorded is the raw sample: rates and shares are derived again on
/// replay by the same code that derived them live (`Shares`, `RateTracker`).
/// What both sides remember of the previous sample of the block: every socket's fields by
/// cookie, and the monotonic time.
struct PreviousSample {
    var connections: [UInt64: [FieldValue]] = [:]
    var subflows: [UInt64: [FieldValue]] = [:]
    var monotonic: UInt64 = 0
}

struct SampleEncoder {
    private var previous = PreviousSample()

    mutating func reset() { previous = PreviousSample() }

    mutating func encode(_ s: Snapshot, into w: inout RecordingByteWriter) {
        w.double(s.time)
        w.signed(Int64(bitPattern: s.monotonic &- previous.monotonic))
        previous.monotonic = s.monotonic
        w.varint(s.unmatchedSubflows)
        w.bool(s.interrupted)
        w.varint(s.interfaces.count)
        for i in s.interfaces {
            w.varint(UInt64(i.index))
            w.text(i.name)
        }
        w.varint(s.listeners.count)
        for l in s.listeners { FieldDelta.encode(RecordedFields.listener.values(l), against: nil, into: &w) }
        var nextConnections: [UInt64: [FieldValue]] = [:]
        var nextSubflows: [UInt64: [FieldValue]] = [:]
        nextConnections.reserveCapacity(s.connections.count)
        nextSubflows.reserveCapacity(previous.subflows.count)
        w.varint(s.connections.count)
        var cookie: UInt64 = 0
        for c in s.connections {
            w.signed(Int64(bitPattern: c.cookie &- cookie))
            cookie = c.cookie
            let values = RecordedFields.connection.values(c)
            FieldDelta.encode(values, against: previous.connections[c.cookie], into: &w)
            nextConnections[c.cookie] = values
            w.varint(c.subflows.count)
            var subCookie = c.cookie
            for sf in c.subflows {
                w.signed(Int64(bitPattern: sf.cookie &- subCookie))
                subCookie = sf.cookie
                let values = RecordedFields.subflow.values(sf)
                FieldDelta.encode(values, against: previous.subflows[sf.cookie], into: &w)
                nextSubflows[sf.cookie] = values
            }
        }
        previous.connections = nextConnections
        previous.subflows = nextSubflows
    }
}

struct SampleDecoder {
    private var previous = PreviousSample()

    mutating func reset() { previous = PreviousSample() }

    /// The raw sample, with interface names and shares filled in as the sampler fills them.
    mutating func decode(from r: inout RecordingByteReader, namespace: String?) throws(RecordingDamage) -> Snapshot {
        let time = try RecordingLimits.time(try r.double(), "a sample's time")
        previous.monotonic &+= UInt64(bitPattern: try r.signed())
        var s = Snapshot(time: time, monotonic: previous.monotonic, namespace: namespace)
        s.unmatchedSubflows = Int(clamping: try r.varint())
        s.interrupted = try r.bool()
        var names: [(index: UInt32, name: String)] = []
        for _ in 0..<(try r.count(limit: RecordingLimits.interfaces, minimumSize: 2, "interface")) {
            guard let index = UInt32(exactly: try r.varint()) else { throw RecordingDamage("an interface index out of range") }
            names.append((index, try r.text()))
        }
        let listenerFields = RecordedFields.listener.count
        for _ in 0..<(try r.count(limit: RecordingLimits.listeners, minimumSize: (listenerFields + 7) / 8, "listener")) {
            var l = Listener.blank
            try RecordedFields.listener.apply(try FieldDelta.decode(count: listenerFields, against: nil, from: &r)[...], to: &l)
            s.listeners.append(l)
        }
        var nextConnections: [UInt64: [FieldValue]] = [:]
        var nextSubflows: [UInt64: [FieldValue]] = [:]
        let connectionFields = RecordedFields.connection.count, subflowFields = RecordedFields.subflow.count
        let count = try r.count(limit: RecordingLimits.connections, minimumSize: 1 + (connectionFields + 7) / 8 + 1, "connection")
        s.connections.reserveCapacity(count)
        var cookie: UInt64 = 0
        for _ in 0..<count {
            cookie &+= UInt64(bitPattern: try r.signed())
            let values = try FieldDelta.decode(count: connectionFields, against: previous.connections[cookie], from: &r)
            guard nextConnections.updateValue(values, forKey: cookie) == nil else { throw RecordingDamage("connection \(cookie) twice in one sample") }
            var c = Connection.blank
            c.cookie = cookie
            try RecordedFields.connection.apply(values[...], to: &c)
            let subflowCount = try r.count(limit: RecordingLimits.subflows, minimumSize: 1 + (subflowFields + 7) / 8, "subflow")
            var subCookie = cookie
            for _ in 0..<subflowCount {
                subCookie &+= UInt64(bitPattern: try r.signed())
                let values = try FieldDelta.decode(count: subflowFields, against: previous.subflows[subCookie], from: &r)
                guard nextSubflows.updateValue(values, forKey: subCookie) == nil else { throw RecordingDamage("subflow \(subCookie) twice in one sample") }
                var sf = Subflow.blank
                sf.cookie = subCookie
                try RecordedFields.subflow.apply(values[...], to: &sf)
                c.subflows.append(sf)
            }
            s.connections.append(c)
        }
        previous.connections = nextConnections
        previous.subflows = nextSubflows
        s.interfaces = Shares.apply(to: &s.connections) { index in names.first { $0.index == index }?.name }
        return s
    }
}
