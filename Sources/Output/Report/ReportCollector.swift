#if canImport(Glibc)
import Glibc
#endif
import MPTCPKit

/// What a debug bundle is made for: the namespace (entered by the caller), the length of the
/// sampling window, and the version of mptop making it.
public struct ReportBundleOptions: Sendable {
    public var namespace: String?
    /// 0: no window (no events, one snapshot).
    public var seconds: Double
    public var mptopVersion: String

    public init(namespace: String?, seconds: Double, mptopVersion: String) {
        self.namespace = namespace
        self.seconds = seconds
        self.mptopVersion = mptopVersion
    }
}

/// Collects what MPTCP's maintainers ask for in a bug report (mptcpd's `mptcp-get-debug`, the
/// kernel's issue template) into a private directory, one file each, and says in the manifest
/// what each file is and what could not be collected. Setup first (versions, sysctls, path
/// manager, endpoints, limits, addresses, routes, rules), then `ss` and the counters before the
/// window, the window (snapshots and events), `ss` and the counters after it, and the diagnosis
/// of the end state with the window's events. Everything runs in the calling thread's network
/// namespace; the system tools are told the namespace (`ip -n`, `ss -N`) as well.
/// Nothing that fails for lack of privilege stops the rest: it is named in the manifest.
public final class ReportCollector {
    public let options: ReportBundleOptions
    private let directory: PrivateDirectory
    private let stop: StopSignal
    private var manifest = ReportManifest()

    public init(options: ReportBundleOptions, directory: PrivateDirectory, stop: StopSignal) {
        self.options = options
        self.directory = directory
        self.stop = stop
    }

    /// Collects everything, writes README.txt, and returns the manifest. `extraSinks` see the
    /// window too (made with the bundle's directory, to write their own file into it).
    /// `progress(done, total)` is called with whole seconds of the window. Throws only when a
    /// file cannot be written (the bundle would be incomplete); the caller removes the directory.
    public func collect(extraSinks: (PrivateDirectory) throws -> [ReportWindowSink] = { _ in [] },
                        progress: (Int, Int) -> Void = { _, _ in }) throws -> ReportManifest {
        let started = Clock.system.wallSeconds()
        manifest = ReportManifest()
        try setup()
        try commands("ss-mptcp-before.txt", "MPTCP sockets before the window (`ss -ManiH`)") { $0.run("ss", ss("-ManiH")) }
        let before = try counters("counters-before.txt", "before the window")
        let outcome = try window(extraSinks: extraSinks(directory), progress: progress)
        try commands("ss-mptcp-after.txt", "MPTCP sockets after the window (`ss -ManiH`)") { $0.run("ss", ss("-ManiH")) }
        try commands("ss-tcp-after.txt", "TCP sockets after the window, subflows among them (`ss -tniH`)") { $0.run("ss", ss("-tniH")) }
        let after = try counters("counters-after.txt", "after the window")
        try counterChanges(before, after)
        try diagnosis(last: outcome?.last, events: outcome?.log.events ?? [])
        manifest.facts = facts(started: started, outcome: outcome)
        try directory.write(ReportManifest.readmeName, manifest.render())
        return manifest
    }

    // MARK: - The setup

    private func setup() throws {
        try commands("versions.txt", "kernel (`uname -a`), distribution, mptop and iproute2 versions") { f in
            f.add("mptop", options.mptopVersion)
            f.run("uname", ["-a"])
            if let release = (try? TextFile.read("/etc/os-release", limit: 64 * 1024)) ?? nil { f.add("/etc/os-release", release) }
            f.run("ip", ["-V"])
            f.run("ss", ["-V"])
        }
        let sysctls = MPTCPSysctl.readAll()
        try text("sysctl.txt", "the namespace's MPTCP sysctls (`sysctl net.mptcp`, read from /proc/sys/net/mptcp)",
                 sysctls.isEmpty ? nil : "# net.mptcp sysctls\n" + sysctls.map { "net.mptcp.\($0.name) = \($0.value)\n" }.joined(),
                 missing: Self.noMPTCP)
        let sysctl = MPTCPSysctl.read()
        try text("path-manager.txt", "which path manager and scheduler the namespace uses (in-kernel or userspace, e.g. mptcpd)",
                 sysctl.enabled == nil ? nil : """
                 # path manager (net.mptcp.path_manager; pm_type before 6.15)
                 path manager: \(sysctl.pathManager?.rawValue ?? "unknown")
                 scheduler: \(sysctl.scheduler ?? "unknown")
                 MPTCP enabled for new sockets: \(sysctl.enabled == true ? "yes" : "no (net.mptcp.enabled = 0)")

                 """, missing: Self.noMPTCP)
        try commands("endpoints.txt", "the path manager's endpoints (`ip mptcp endpoint show`)") { $0.run("ip", ip("mptcp", "endpoint", "show")) }
        try commands("limits.txt", "the path manager's limits (`ip mptcp limits show`)") { $0.run("ip", ip("mptcp", "limits", "show")) }
        try commands("ip-addr.txt", "addresses (`ip addr show`)") { $0.run("ip", ip("addr", "show")) }
        try commands("ip-link.txt", "interfaces with their packet and error counts (`ip -s link show`)") { $0.run("ip", ip("-s", "link", "show")) }
        try commands("ip-route.txt", "routes of every table, IPv4 and IPv6 (`ip route show table all`)") { f in
            f.run("ip", ip("-4", "route", "show", "table", "all"))
            f.run("ip", ip("-6", "route", "show", "table", "all"))
        }
        try commands("ip-rule.txt", "policy routing rules, IPv4 and IPv6 (`ip rule show`)") { f in
            f.run("ip", ip("-4", "rule", "show"))
            f.run("ip", ip("-6", "rule", "show"))
        }
    }

    static let noMPTCP = "this kernel has no MPTCP (/proc/sys/net/mptcp is missing)"

    // MARK: - Counters

    private func counters(_ name: String, _ when: String) throws -> MPTCPCounters? {
        let about = "the MPTcpExt counters of /proc/net/netstat \(when) (as `nstat -az`)"
        do {
            let c = try MPTCPCounters.read()
            try text(name, about, "# MPTcpExt counters \(when)\n" + c.entries.map { "MPTcpExt\($0.name) \($0.value)\n" }.joined())
            return c
        } catch {
            manifest.entries.append(.init(name, about, .notCollected("\(error)")))
            return nil
        }
    }

    private func counterChanges(_ before: MPTCPCounters?, _ after: MPTCPCounters?) throws {
        let name = "counters-change.txt", about = "the MPTcpExt counters that changed during the window, by how much"
        guard let before, let after else {
            manifest.entries.append(.init(name, about, .notCollected("the counters could not be read before and after")))
            return
        }
        let changed = MPTCPCounterChange.between(before, after).filter(\.changed)
        var body = "# MPTcpExt counters that changed during the window (counter, change, value after)\n"
        body += changed.isEmpty ? "none changed\n" : changed.map { c in
            let delta = c.delta.map { $0 > 0 ? "+\($0)" : "\($0)" } ?? "new"
            return "MPTcpExt\(c.name) \(delta) \(c.value)\n"
        }.joined()
        try text(name, about, body)
    }

    // MARK: - The window

    private func window(extraSinks: [ReportWindowSink], progress: (Int, Int) -> Void) throws -> ReportWindow.Outcome? {
        var sinks: [ReportWindowSink] = []
        var sampler: Sampler?
        do {
            sampler = try Sampler(options: .init(processes: true, namespace: options.namespace))
            sinks.append(try SnapshotLinesSink(in: directory))
            // The window's snapshots come a second apart (ReportWindow).
            sinks.append(try RecordingSink(in: directory, writerName: options.mptopVersion, namespace: options.namespace, interval: 1))
        } catch {
            manifest.entries.append(.init(SnapshotLinesSink.name, SnapshotLinesSink.about, .notCollected("\(error)")))
            manifest.entries.append(.init(RecordingSink.name, RecordingSink.about, .notCollected("\(error)")))
        }
        var events: PathManagerEventSource?
        if options.seconds > 0 {
            do {
                events = try PathManagerEventSource()
                sinks.append(try EventLinesSink(in: directory, seconds: options.seconds))
            } catch {
                manifest.entries.append(.init(EventLinesSink.name, EventLinesSink.about, .notCollected("\(error)")))
            }
        } else {
            manifest.entries.append(.init(EventLinesSink.name, EventLinesSink.about, .notCollected("no window (--seconds 0)")))
        }
        sinks += extraSinks
        guard sampler != nil || events != nil || !extraSinks.isEmpty else { return nil }
        let run = ReportWindow(seconds: options.seconds, sampler: sampler, events: events, stop: stop)
        let outcome = try run.run(into: sinks, progress: progress)
        for s in sinks {
            var entry = try s.finish()
            if entry.name == SnapshotLinesSink.name, let why = outcome.sampleError {
                entry.status = entry.isCollected ? .collected(note: "sampling stopped early: \(why)") : .notCollected(why)
            }
            manifest.entries.append(entry)
        }
        return outcome
    }

    // MARK: - The diagnosis

    private func diagnosis(last: Snapshot?, events: [PathManagerEvent]) throws {
        guard MPTCPSysctl.read().enabled != nil else {
            for name in ["diagnose.txt", "diagnose.json"] {
                manifest.entries.append(.init(name, "`mptop diagnose` of the end of the window", .notCollected(Self.noMPTCP)))
            }
            return
        }
        var setup = PathManagerSetup.gather(namespace: options.namespace, snapshot: last, events: events)
        if last == nil { setup.unreadable.append("the connections: no sample could be taken") }
        let d = Diagnosis(setup: setup)
        let note: String? = setup.unreadable.isEmpty ? nil : "could not read " + setup.unreadable.joined(separator: "; ")
        try text("diagnose.txt", "`mptop diagnose` of the end of the window, with its events: the setup and why a connection has no extra subflow",
                 DiagnosisText.render(d), note: note)
        try text("diagnose.json", "the same as `mptop diagnose --json`", DiagnosisJSON.render(d) + "\n", note: note)
    }

    // MARK: - The README's facts

    private func facts(started: Double, outcome: ReportWindow.Outcome?) -> [String] {
        var out = ["made by \(options.mptopVersion) at \(Self.utcText(started))"]
        out.append("namespace: " + (options.namespace.map { "\($0) (as `ip -n \($0)`)" } ?? "the one mptop ran in (no --netns)"))
        out.append("as uid \(geteuid()), CAP_NET_ADMIN: \(Capabilities.hasNetAdmin() ? "yes" : "no (events and some details are missing)")")
        if options.seconds == 0 {
            out.append("window: none (--seconds 0): one snapshot, no events")
        } else if let o = outcome {
            let elapsed = (o.elapsed * 10).rounded() / 10
            out.append("window: \(ReportWindow.secondsText(options.seconds)) asked, \(elapsed) s sampled, \(o.samples) snapshot(s), \(o.log.events.count + o.log.dropped) event(s)"
                + (o.stoppedEarly ? " (ended early by Ctrl-C or a signal)" : ""))
        } else {
            out.append("window: \(ReportWindow.secondsText(options.seconds)) asked, but neither snapshots nor events could be taken")
        }
        return out
    }

    /// "2026-12-01 09:40:02 UTC".
    static func utcText(_ seconds: Double) -> String { ReportTime.text(seconds, format: "%Y-%m-%d %H:%M:%S UTC") }

    // MARK: - Writing files

    /// A file made of tool runs and sections; left out (and named) when no tool it needs exists.
    private func commands(_ name: String, _ about: String, _ build: (inout ReportTextFile) -> Void) throws {
        var f = ReportTextFile()
        build(&f)
        let status = f.status
        if case .collected = status { try directory.write(name, f.text) }
        manifest.entries.append(.init(name, about, status))
    }

    /// A file of what mptop read itself; nil content is `missing`.
    private func text(_ name: String, _ about: String, _ content: String?, missing: String = "", note: String? = nil) throws {
        guard let content, !content.isEmpty else {
            manifest.entries.append(.init(name, about, .notCollected(missing)))
            return
        }
        try directory.write(name, content)
        manifest.entries.append(.init(name, about, .collected(note: note)))
    }

    private func ip(_ args: String...) -> [String] { (options.namespace.map { ["-n", $0] } ?? []) + args }
    private func ss(_ args: String...) -> [String] { (options.namespace.map { ["-N", $0] } ?? []) + args }
}

/// UTC times for a bundle's names and README, without Foundation.
enum ReportTime {
    static func text(_ seconds: Double, format: String) -> String {
        var t = time_t(seconds.rounded(.down))
        var parts = tm()
        gmtime_r(&t, &parts)
        var buffer = [CChar](repeating: 0, count: 64)
        let n = strftime(&buffer, buffer.count, format, &parts)
        return String(decoding: buffer.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
