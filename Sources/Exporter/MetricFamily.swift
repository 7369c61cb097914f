/// One metric the exporter writes: its fixed name, type, labels and help text. The README's
/// table lists the same.
public struct MetricFamily: Sendable, Hashable {
    public enum Kind: String, Sendable {
        case gauge
        case counter
    }

    public let name: String
    public let kind: Kind
    public let labels: [String]
    public let help: String
}

extension MetricFamily {
    public static let connections = MetricFamily(
        name: "mptop_connections", kind: .gauge, labels: ["netns"],
        help: "MPTCP connections in the namespace (not listeners).")
    public static let subflows = MetricFamily(
        name: "mptop_subflows", kind: .gauge, labels: ["netns", "interface"],
        help: "Live MPTCP subflows per interface (0 for an interface that carried subflows before).")
    public static let interfaceShare = MetricFamily(
        name: "mptop_interface_share", kind: .gauge, labels: ["netns", "interface"],
        help: "Interface's share (0..1) of the bytes carried by live MPTCP subflows, as interfaces[].share in mptop --json.")
    public static let interfaceBytes = MetricFamily(
        name: "mptop_interface_bytes_total", kind: .counter, labels: ["netns", "interface", "direction"],
        help: "Bytes MPTCP subflows carried per interface (tx: acked, rx: received), closed subflows included.")
    public static let mib = MetricFamily(
        name: "mptop_mib_total", kind: .counter, labels: ["netns", "name"],
        help: "The namespace's MPTcpExt MIB counters (/proc/net/netstat) by kernel name.")
    public static let events = MetricFamily(
        name: "mptop_events_total", kind: .counter, labels: ["netns", "type"],
        help: "Path-manager events received since the exporter subscribed, by type.")
    public static let subflowsClosed = MetricFamily(
        name: "mptop_subflows_closed_total", kind: .counter, labels: ["netns", "interface", "reason"],
        help: "Subflows closed (SUB_CLOSED events) by interface and reason (errno name, reset_<MP_TCPRST reason>, or none).")
    public static let eventsOverruns = MetricFamily(
        name: "mptop_events_overruns_total", kind: .counter, labels: ["netns"],
        help: "Times the kernel dropped path-manager events because the exporter's buffer was full.")
    public static let eventsSubscribed = MetricFamily(
        name: "mptop_events_subscribed", kind: .gauge, labels: ["netns", "reason"],
        help: "1 when path-manager events arrive; 0 with the reason when not (no_cap_net_admin: the event series are absent).")
    public static let fallbacks = MetricFamily(
        name: "mptop_fallback_connections", kind: .gauge, labels: ["netns"],
        help: "MPTCP connections that fell back to plain TCP.")
    public static let listeners = MetricFamily(
        name: "mptop_listeners", kind: .gauge, labels: ["netns"],
        help: "Listening MPTCP sockets.")
    public static let up = MetricFamily(
        name: "mptop_up", kind: .gauge, labels: ["netns"],
        help: "1 when the last collection in the namespace succeeded.")
    public static let scrapeDuration = MetricFamily(
        name: "mptop_scrape_duration_seconds", kind: .gauge, labels: ["netns"],
        help: "Seconds the last collection took (sock_diag dumps, decoding, MIB counters).")
    public static let scrapeErrors = MetricFamily(
        name: "mptop_scrape_errors_total", kind: .counter, labels: ["netns"],
        help: "Collections that failed (namespace gone, netlink error).")
    public static let connectionSubflows = MetricFamily(
        name: "mptop_connection_subflows", kind: .gauge, labels: ["netns", "token"],
        help: "Subflows of one of the --per-connection busiest connections.")
    public static let connectionBytes = MetricFamily(
        name: "mptop_connection_bytes_total", kind: .counter, labels: ["netns", "token", "direction"],
        help: "MPTCP-level bytes of one of the --per-connection busiest connections (tx: acked, rx: received).")
    public static let connectionShare = MetricFamily(
        name: "mptop_connection_interface_share", kind: .gauge, labels: ["netns", "token", "interface"],
        help: "Interface's share (0..1) of one of the --per-connection busiest connections' bytes.")

    /// Every family, in the order the README lists them.
    public static let all: [MetricFamily] = [
        connections, subflows, interfaceShare, interfaceBytes, mib, events, subflowsClosed, eventsOverruns,
        eventsSubscribed, fallbacks, listeners, up, scrapeDuration, scrapeErrors,
        connectionSubflows, connectionBytes, connectionShare,
    ]
}
