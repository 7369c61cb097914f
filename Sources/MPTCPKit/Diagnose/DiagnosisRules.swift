/// Turns a `PathManagerSetup` into findings that answer the commonest MPTCP question: why does
/// this connection have no extra subflow? Pure: no kernel, so each rule has a unit test.
public enum DiagnosisRules {
    public static func findings(for s: PathManagerSetup) -> [DiagnosisFinding] {
        var out: [DiagnosisFinding] = []
        guard let enabled = s.mptcpEnabled else {
            return [.init(.problem, "mptcp_missing", "this kernel has no MPTCP (no /proc/sys/net/mptcp; needs CONFIG_MPTCP, Linux 5.6 or later)")]
        }
        if !enabled {
            out.append(.init(.problem, "mptcp_disabled",
                             "MPTCP is disabled here (net.mptcp.enabled = 0): new sockets get plain TCP (sysctl -w net.mptcp.enabled=1)"))
        }
        for what in s.unreadable {
            out.append(.init(.warning, "unreadable", "could not read \(what)"))
        }
        if s.pathManager == .userspace {
            out.append(.init(.info, "userspace_pm",
                             "the userspace path manager is selected (net.mptcp.path_manager): extra subflows come from a daemon such as mptcpd, not from endpoints and limits"))
        } else {
            out += configuration(s)
        }
        out += counters(s)
        if let snapshot = s.snapshot, s.pathManager != .userspace {
            out += connections(snapshot, s)
        }
        if !out.contains(where: { $0.severity >= .warning }) {
            out.append(.init(.info, "no_problem", "nothing found that stops extra subflows"))
        }
        // Most severe first; the rules' own order within a severity.
        return out.enumerated().sorted { a, b in
            a.element.severity != b.element.severity ? a.element.severity > b.element.severity : a.offset < b.offset
        }.map(\.element)
    }
}
