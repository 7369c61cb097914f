import LabKit
import MPTCPKit
import Output

/// `mptop demo --script handover`: the handover story without a terminal. WiFi carries the
/// traffic, WiFi goes away, cellular takes over, WiFi comes back; the interface rates are
/// sampled every half second and the receiver's verdict is reported at the end.
struct HandoverScript {
    let demo: DemoLab
    let stop: StopSignal
    let json: Bool

    /// When things happen, in seconds from the start. The gap after WiFi returns leaves room for
    /// TCP's backed-off retransmission timer on the WiFi subflow to fire again (a few seconds).
    static let wifiAway = 5.0
    static let wifiBack = 14.0
    static let end = 26.0
    static let step = 0.5

    struct Point {
        let t: Double
        let interfaces: [(name: String, bps: Double)]
    }

    struct Event {
        let t: Double
        let type: String
        let message: String
    }

    func run() throws -> Int32 {
        let sampler = try Sampler(options: .init(processes: false, namespace: demo.lab.clientNamespace))
        try waitForBothSubflows(sampler)
        var timeline: [Point] = []
        var events: [Event] = []
        let clock = Clock.system
        let start = Double(clock.monotonicNanos()) / 1e9
        func now() -> Double { Double(clock.monotonicNanos()) / 1e9 - start }
        func record(_ type: String, _ message: String) throws {
            let e = Event(t: round(now()), type: type, message: message)
            events.append(e)
            if !json { try Console.out(Self.seconds(e.t) + "  >> " + message + "\n") }
        }

        _ = try sampler.sample()
        try record("start", "WiFi (wifi0) and cellular (cell0) both up; one transfer running")
        var wifiGone = false, wifiReturned = false
        var tick = 1
        while now() < Self.end {
            if stop.isStopped { throw MPTopError.io("mptop demo: stopped") }
            let due = Double(tick) * Self.step
            try MonitorCommand.sleepSeconds(due - now(), { stop.isStopped })
            let snapshot = try sampler.sample()
            let point = Point(t: round(now()), interfaces: ["wifi0", "cell0"].map { name in
                let usage = snapshot.interfaces.first { $0.name == name }
                return (name, (usage?.txRate ?? 0) + (usage?.rxRate ?? 0))
            })
            timeline.append(point)
            if !json {
                try Console.out(Self.seconds(point.t) + point.interfaces.map { "  \($0.name) \(Units.rate($0.bps).leftPadded(to: 9))" }.joined() + "\n")
            }
            if !wifiGone && now() >= Self.wifiAway {
                wifiGone = true
                try record("wifi_down", try demo.toggleWifi())
            } else if !wifiReturned && now() >= Self.wifiBack {
                wifiReturned = true
                try record("wifi_up", try demo.toggleWifi())
            }
            tick += 1
        }
        guard let verdict = demo.finish() else { throw MPTopError.io("the demo's receiver printed no summary") }
        try record("end", "transfer stopped; the receiver checked \(Units.bytes(verdict.bytesReceived)): "
            + (verdict.intact ? "every byte intact" : "DATA DAMAGED" + (verdict.problem.map { " (\($0))" } ?? "")))
        if json { try Console.out(render(timeline: timeline, events: events, intact: verdict.intact, bytes: verdict.bytesReceived) + "\n") }
        return verdict.intact ? 0 : 1
    }

    /// The story starts once the connection has its subflow on each path.
    private func waitForBothSubflows(_ sampler: Sampler) throws {
        for _ in 0..<100 {
            if let c = try sampler.sample().connections.first, Set(c.subflows.compactMap(\.interfaceName)).isSuperset(of: ["wifi0", "cell0"]) {
                return
            }
            try MonitorCommand.sleepSeconds(0.1, { stop.isStopped })
            if stop.isStopped { throw MPTopError.io("mptop demo: stopped") }
        }
        throw MPTopError.io("the demo connection did not open a subflow on both wifi0 and cell0 within 10 s")
    }

    private func render(timeline: [Point], events: [Event], intact: Bool, bytes: UInt64) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.field("script", "handover")
        w.beginObject("lab")
        w.field("client_namespace", demo.lab.clientNamespace)
        w.field("server_namespace", demo.lab.serverNamespace)
        w.endObject()
        w.beginArray("timeline")
        for p in timeline {
            w.beginObject()
            w.field("t", p.t)
            w.beginObject("interfaces")
            for i in p.interfaces { w.field(JSONKey(i.name), i.bps, decimals: 0) }
            w.endObject()
            w.endObject()
        }
        w.endArray()
        w.beginArray("events")
        for e in events {
            w.beginObject()
            w.field("t", e.t)
            w.field("type", e.type)
            w.field("message", e.message)
            w.endObject()
        }
        w.endArray()
        w.field("bytes_received", bytes)
        w.field("intact", intact)
        w.endObject()
        return w.text
    }

    private func round(_ t: Double) -> Double { (t * 10).rounded() / 10 }

    static func seconds(_ t: Double) -> String { (Units.fixed(t, decimals: 1) + " s").leftPadded(to: 7) }
}
