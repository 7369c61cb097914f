import MPTCPKit

/// The JSON form of an event, one object per line in `mptop events --json` (README, "mptop
/// events"). Keys the event does not carry are left out rather than written as null, so a
/// script can test for presence: listener events have no `token`, unbound subflows may have
/// no `ifindex`.
public enum PathManagerEventJSON {
    public static func render(_ e: PathManagerEvent) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.field("time", e.time, decimals: 6)
        w.field("type", e.kind.name)
        if case .unknown(let n) = e.kind { w.field("type_number", n) }
        if let t = e.token { w.field("token", hex(t)) }
        if let f = e.family { w.field("family", f == .ipv4 ? "ipv4" : "ipv6") }
        if let l = e.local { w.field("local", l.description) }
        if let r = e.remote { w.field("remote", r.description) }
        if let i = e.localID { w.field("local_id", i) }
        if let i = e.remoteID { w.field("remote_id", i) }
        if let b = e.backup { w.field("backup", b) }
        if let n = e.interfaceName { w.field("interface", n) }
        if let i = e.interfaceIndex { w.field("ifindex", i) }
        if let s = e.serverSide { w.field("server_side", s) }
        if let f = e.flags { w.field("flags", f) }
        if e.denyJoinID0 { w.field("deny_join_id0", true) }
        if let err = e.error {
            w.field("error", err.errno)
            if let name = err.name { w.field("error_name", name) }
            w.field("error_text", err.text)
        }
        if let r = e.resetReason {
            w.field("reset_reason", r.code)
            if let name = r.name { w.field("reset_reason_name", name) }
            w.field("reset_reason_text", r.text)
        }
        if let f = e.resetFlags { w.field("reset_flags", f) }
        if let t = e.timeout { w.field("timeout", t) }
        if let reason = e.closeReason { w.field("reason", reason) }
        if !e.rawAttributes.isEmpty {
            w.beginArray("raw_attributes")
            for a in e.rawAttributes {
                w.beginObject()
                w.field("type", a.type)
                w.field("hex", a.hex)
                w.endObject()
            }
            w.endArray()
        }
        if e.truncated { w.field("truncated", true) }
        w.endObject()
        return w.text
    }

    /// The line for lost events: `{"time":...,"type":"overrun","reason":...}`.
    public static func overrun(time: Double) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.field("time", time, decimals: 6)
        w.field("type", "overrun")
        w.field("reason", "receive buffer overflowed: events were lost")
        w.endObject()
        return w.text
    }
}
