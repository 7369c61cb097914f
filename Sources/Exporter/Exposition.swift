import MPTCPKit
import Prometheus

/// The Prometheus text exposition of the namespaces' states, written by swift-prometheus (its
/// registry escapes label values and HELP text). A registry per scrape: the series are a
/// function of the states, so nothing stale can linger from an earlier scrape.
public enum Exposition {
    /// What `GET /metrics` answers with.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The text for `states`. `perConnection` is how many of each namespace's busiest
    /// connections get series of their own (0: none), so cardinality stays bounded.
    public static func render(_ states: [NamespaceState], perConnection: Int = 0) -> [UInt8] {
        let writer = Writer()
        for state in states { writer.add(state, perConnection: perConnection) }
        return writer.registry.emitToBuffer()
    }

    /// The connections that get series of their own: the busiest by rate (bytes when rates
    /// are not known yet), ties broken by token. Connections without a token are left out.
    public static func busiest(_ connections: [Connection], limit: Int) -> [Connection] {
        guard limit > 0 else { return [] }
        struct Ranked {
            let connection: Connection
            let token: UInt32
            let rate: Double
            let bytes: UInt64
        }
        var ranked: [Ranked] = []
        ranked.reserveCapacity(connections.count)
        for c in connections {
            guard let token = c.token else { continue }
            let rate = (c.txRate ?? 0) + (c.rxRate ?? 0)
            let bytes = c.subflows.reduce(UInt64(0)) { $0 &+ $1.bytesCarried }
            ranked.append(Ranked(connection: c, token: token, rate: rate, bytes: bytes))
        }
        ranked.sort { a, b in
            if a.rate != b.rate { return a.rate > b.rate }
            if a.bytes != b.bytes { return a.bytes > b.bytes }
            return a.token < b.token
        }
        return ranked.prefix(limit).map(\.connection)
    }
}

/// Adds the series of states to one registry.
final class Writer {
    let registry = PrometheusCollectorRegistry()

    func gauge(_ family: MetricFamily, _ labels: [(String, String)], _ value: Double) {
        registry.makeGauge(descriptor: descriptor(family), labels: labels).set(to: value)
    }

    func counter(_ family: MetricFamily, _ labels: [(String, String)], _ value: UInt64) {
        registry.makeCounter(descriptor: descriptor(family), labels: labels).increment(by: Int64(clamping: value))
    }

    /// Our names are whole already (unit included): no namespace, subsystem or unit to join.
    private func descriptor(_ family: MetricFamily) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: family.name, unitName: "", helpText: family.help)
    }

    func add(_ state: NamespaceState, perConnection: Int) {
        let ns = ("netns", state.namespace)
        gauge(.up, [ns], state.up ? 1 : 0)
        gauge(.scrapeDuration, [ns], state.duration)
        counter(.scrapeErrors, [ns], state.errors)

        // Accumulated: present whether or not the last collection worked.
        let totals = state.bytes.totals
        for (interface, t) in totals {
            counter(.interfaceBytes, [ns, ("interface", interface), ("direction", "tx")], t.tx)
            counter(.interfaceBytes, [ns, ("interface", interface), ("direction", "rx")], t.rx)
        }
        gauge(.eventsSubscribed, [ns, ("reason", state.eventsStatus.label)], state.eventsStatus == .subscribed ? 1 : 0)
        if state.eventsStatus == .subscribed {
            for (type, n) in state.events.byType { counter(.events, [ns, ("type", type)], n) }
            for (key, n) in state.events.subflowsClosed {
                counter(.subflowsClosed, [ns, ("interface", key.interface), ("reason", key.reason)], n)
            }
            counter(.eventsOverruns, [ns], state.events.overruns)
        }
        if let mib = state.mib {
            for e in mib.entries { counter(.mib, [ns, ("name", e.name)], e.value) }
        }

        guard let snapshot = state.snapshot else { return }
        gauge(.connections, [ns], Double(snapshot.connections.count))
        gauge(.listeners, [ns], Double(snapshot.listeners.count))
        gauge(.fallbacks, [ns], Double(snapshot.connections.reduce(0) { $0 + ($1.fallback ? 1 : 0) }))
        var live: Set<String> = []
        for i in snapshot.interfaces {
            live.insert(i.name)
            gauge(.subflows, [ns, ("interface", i.name)], Double(i.subflows))
            gauge(.interfaceShare, [ns, ("interface", i.name)], i.share)
        }
        for interface in totals.keys where !live.contains(interface) {
            gauge(.subflows, [ns, ("interface", interface)], 0)
        }
        for c in Exposition.busiest(snapshot.connections, limit: perConnection) {
            guard let t = c.token else { continue }  // busiest(_:limit:) kept only connections with one
            let token = ("token", hex(t))
            gauge(.connectionSubflows, [ns, token], Double(c.subflows.count))
            let tx = c.info?.bytesAcked ?? c.subflows.reduce(0) { $0 &+ ($1.tcpInfo.bytesAcked ?? 0) }
            let rx = c.info?.bytesReceived ?? c.subflows.reduce(0) { $0 &+ ($1.tcpInfo.bytesReceived ?? 0) }
            counter(.connectionBytes, [ns, token, ("direction", "tx")], tx)
            counter(.connectionBytes, [ns, token, ("direction", "rx")], rx)
            for s in c.interfaceShares { gauge(.connectionShare, [ns, token, ("interface", s.name)], s.share) }
        }
    }
}
