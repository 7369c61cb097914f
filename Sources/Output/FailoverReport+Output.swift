import MPTCPKit

/// The failover report as `mptop failover` prints it: the JSON object of `--json`, and the text
/// (the throughput table, recovery, survival, restore, notes).
extension FailoverReport {
    public var json: String {
        var w = JSONWriter()
        w.beginObject()
        w.field("token", token.map { hex($0) })
        w.beginArray("tokens")
        for t in tokens { w.field(nil, hex(t)) }
        w.endArray()
        w.field("interface", interface)
        w.field("mode", mode.rawValue)
        w.field("duration_s", duration)
        w.field("recovery_ms", recoveryMs.map { $0.rounded() })
        w.field("survived", survived)
        w.field("restored", restored)
        w.beginArray("interfaces")
        for t in throughput {
            w.beginObject()
            w.field("name", t.interface)
            w.field("before_bps", t.before.map { $0.rounded() })
            w.field("during_bps", t.during.map { $0.rounded() })
            w.field("after_bps", t.after.map { $0.rounded() })
            w.endObject()
        }
        w.endArray()
        w.beginArray("events")
        for e in events {
            w.beginObject()
            w.field("t_s", e.time)
            w.field("event", e.text)
            w.endObject()
        }
        w.endArray()
        w.beginArray("notes")
        for n in notes { w.field(nil, n) }
        w.endArray()
        w.endObject()
        return w.text
    }

    public var text: String {
        var t = TextTable([("INTERFACE", .left), ("BEFORE", .right), ("DURING", .right), ("AFTER", .right)])
        for row in throughput {
            t.add([row.interface, Units.rate(row.before), Units.rate(row.during), Units.rate(row.after)])
        }
        var out = "failover \(mode.rawValue) on \(interface.escapedForTerminal) of \(FailoverTest.name(tokens)) for \(Units.fixed(duration, decimals: 1)) s\n"
        out += t.render().map { $0 + "\n" }.joined()
        out += "recovery: " + (recoveryMs.map { "\(Int($0.rounded())) ms" } ?? "none (the other paths never carried half the earlier rate)") + "\n"
        out += "survived: \(survived ? "yes" : "no")\nrestored: \(restored ? "yes" : "NO")\n"
        for n in notes { out += "note: \(n.escapedForTerminal)\n" }
        return out
    }
}
