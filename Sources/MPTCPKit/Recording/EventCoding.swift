/// Path-manager events as recorded: a batch (the overrun flag and its events), every event in
/// full (events are few; nothing to gain from deltas), with the attributes the decoder kept raw.
enum EventCoding {
    static func encode(_ batch: PathManagerEventBatch, into w: inout RecordingByteWriter) {
        w.bool(batch.overrun)
        w.varint(batch.events.count)
        for e in batch.events {
            FieldDelta.encode(RecordedFields.event.values(e), against: nil, into: &w)
            w.varint(e.rawAttributes.count)
            for a in e.rawAttributes {
                w.varint(UInt64(a.type))
                w.blob(a.bytes)
            }
        }
    }

    static func decode(from r: inout RecordingByteReader) throws(RecordingDamage) -> PathManagerEventBatch {
        var batch = PathManagerEventBatch(overrun: try r.bool())
        let fields = RecordedFields.event.count
        for _ in 0..<(try r.count(limit: RecordingLimits.events, minimumSize: (fields + 7) / 8 + 1, "event")) {
            var e = PathManagerEvent(kind: .unknown(0))
            try RecordedFields.event.apply(try FieldDelta.decode(count: fields, against: nil, from: &r)[...], to: &e)
            e.time = try RecordingLimits.time(e.time, "an event's time")
            for _ in 0..<(try r.count(limit: RecordingLimits.rawAttributes, minimumSize: 2, "attribute")) {
                guard let type = UInt16(exactly: try r.varint()) else { throw RecordingDamage("an attribute type out of range") }
                e.rawAttributes.append(.init(type: type, bytes: try r.blob(limit: 65_535)))
            }
            batch.events.append(e)
        }
        return batch
    }
}

/// The MIB counters as recorded: their names when they differ from the previous reading's in
/// the block (always at a block start), then every value as the difference from the previous
/// reading's value at the same place.
struct CounterEncoder {
    private var previous: MPTCPCounters?

    mutating func reset() { previous = nil }

    mutating func encode(_ c: MPTCPCounters, into w: inout RecordingByteWriter) {
        let sameNames = previous.map { $0.entries.map(\.name) == c.entries.map(\.name) } ?? false
        w.bool(!sameNames)
        if !sameNames {
            w.varint(c.entries.count)
            for e in c.entries { w.text(e.name) }
        }
        w.varint(c.entries.count)
        for (i, e) in c.entries.enumerated() {
            let before = sameNames ? previous?.entries[i].value ?? 0 : 0
            w.signed(Int64(bitPattern: e.value &- before))
        }
        previous = c
    }
}

struct CounterDecoder {
    private(set) var previous: MPTCPCounters?

    mutating func reset() { previous = nil }

    mutating func decode(from r: inout RecordingByteReader) throws(RecordingDamage) -> MPTCPCounters {
        var names: [String]
        if try r.bool() {
            names = []
            for _ in 0..<(try r.count(limit: RecordingLimits.counters, "counter name")) { names.append(try r.text()) }
        } else {
            guard let previous else { throw RecordingDamage("counters without their names") }
            names = previous.entries.map(\.name)
        }
        let count = try r.count(limit: RecordingLimits.counters, "counter")
        guard count == names.count else { throw RecordingDamage("\(count) counter values for \(names.count) names") }
        var entries: [MPTCPCounters.Entry] = []
        entries.reserveCapacity(count)
        let keepsNames = previous.map { $0.entries.map(\.name) == names } ?? false
        for i in 0..<count {
            let before = keepsNames ? previous?.entries[i].value ?? 0 : 0
            entries.append(.init(name: names[i], value: before &+ UInt64(bitPattern: try r.signed())))
        }
        let c = MPTCPCounters(entries: entries)
        previous = c
        return c
    }
}
