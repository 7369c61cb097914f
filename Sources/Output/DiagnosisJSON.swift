import MPTCPKit

/// The JSON form of `mptop diagnose --json` (README, "mptop diagnose"): keys `namespace`,
/// `mptcp_enabled`, `path_manager`, `limits`, `endpoints`, `sysctls`, `counters` (the non-zero
/// ones), `findings`.
public enum DiagnosisJSON {
    public static func render(_ d: Diagnosis) -> String {
        let s = d.setup
        var w = JSONWriter()
        w.beginObject()
        w.field("namespace", s.namespace)
        w.field("mptcp_enabled", s.mptcpEnabled)
        w.field("path_manager", s.pathManager?.rawValue)
        if let l = s.limits {
            w.beginObject("limits")
            w.field("subflows", l.subflows)
            w.field("add_addr_accepted", l.addAddrAccepted)
            w.endObject()
        } else {
            w.null("limits")
        }
        w.beginArray("endpoints")
        for e in s.endpoints {
            w.beginObject()
            w.field("id", e.id)
            w.field("address", e.address?.description)
            w.field("port", e.port == 0 ? nil : e.port)
            w.beginArray("flags")
            for f in e.flags.names { w.field(nil, f) }
            w.endArray()
            let link = s.endpointInterfaces[e.id].flatMap { s.link($0) }
            w.field("interface", link?.name)
            w.field("ifindex", s.endpointInterfaces[e.id])
            w.field("interface_up", link.map { $0.up && $0.running })
            w.endObject()
        }
        w.endArray()
        w.beginObject("sysctls")
        for v in s.sysctls { w.field(JSONKey(v.name), v.value) }
        w.endObject()
        w.beginObject("counters")
        for c in s.counters?.entries ?? [] where c.value != 0 { w.field(JSONKey(c.name), c.value) }
        w.endObject()
        w.beginArray("findings")
        for f in d.findings {
            w.beginObject()
            w.field("severity", f.severity.name)
            w.field("code", f.code)
            w.field("message", f.message)
            if let t = f.token { w.field("token", hex(t)) }
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.text
    }
}
