import MPTCPKit

/// `mptop diagnose` as text: the setup first (what the kernel has), then the findings (what it
/// means), so a person can check the conclusions against the facts.
public enum DiagnosisText {
    public static func render(_ d: Diagnosis) -> String {
        (setupLines(d) + [""] + findingLines(d)).joined(separator: "\n") + "\n"
    }

    /// "FINDINGS" and one line per finding, most severe first. The dashboard shows these first.
    public static func findingLines(_ d: Diagnosis) -> [String] {
        // A message quotes interface names and addresses: escaped like every printed name.
        ["FINDINGS"] + d.findings.map { "  \($0.severity.name.uppercased().padded(to: 7))  \($0.message.escapedForTerminal)  [\($0.code)]" }
    }

    /// What the kernel has: path manager, limits, endpoints, sysctls, counters.
    public static func setupLines(_ d: Diagnosis) -> [String] {
        let s = d.setup
        var lines: [String] = []
        let ns = s.namespace.map { "namespace '\($0.escapedForTerminal)'" } ?? "this namespace"
        lines.append("MPTCP path manager in \(ns): \((s.pathManager?.rawValue ?? "unknown").escapedForTerminal)"
                     + (s.mptcpEnabled == false ? " (MPTCP disabled)" : ""))
        if let l = s.limits {
            lines.append("  limits: subflow \(l.subflows), add_addr_accepted \(l.addAddrAccepted)")
        }
        if s.endpoints.isEmpty {
            lines.append("  endpoints: none")
        } else {
            lines.append("  endpoints:")
            var t = TextTable([("ID", .right), ("ADDRESS", .left), ("PORT", .right), ("FLAGS", .left), ("INTERFACE", .left)])
            t.indent = 4
            for e in s.endpoints {
                let link = s.endpointInterfaces[e.id].flatMap { s.link($0) }
                let state = link.map { !$0.up ? " (down)" : !$0.running ? " (no carrier)" : " (up)" } ?? ""
                t.add([String(e.id), e.address?.description ?? "-", e.port == 0 ? "-" : String(e.port),
                       e.flags.names.isEmpty ? "-" : e.flags.names.joined(separator: ","), (link?.name ?? "-") + state])
            }
            lines += t.render()
        }
        if !s.sysctls.isEmpty {
            lines.append("  sysctls (net.mptcp):")
            var t = TextTable([("NAME", .left), ("VALUE", .left)])
            t.indent = 4
            for v in s.sysctls { t.add([v.name, v.value]) }
            lines += t.render().dropFirst()
        }
        let busy = (s.counters?.entries ?? []).filter { $0.value != 0 }
        if !busy.isEmpty {
            lines.append("  counters (non-zero, since the namespace was created):")
            for (group, members) in MPTCPCounterChange.grouped(MPTCPCounterChange.between(nil, MPTCPCounters(entries: busy))) {
                lines.append("    \(group.title): " + members.map { "\($0.name.escapedForTerminal) \($0.value)" }.joined(separator: ", "))
            }
        }
        if let snap = s.snapshot {
            lines.append("  connections: \(snap.connections.count), subflows: \(snap.subflowCount)")
        }
        return lines
    }
}
