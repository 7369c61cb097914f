import Exporter
import Foundation
import MPTCPKit

/// The namespaces the exporter watches, one worker each. With `--all-netns` the named
/// namespaces are listed again at every scrape: a worker starts for a new one, and stops (its
/// sockets closed, so it no longer keeps the namespace alive) for one that was deleted.
final class Fleet: @unchecked Sendable {
    enum Selection: Sendable {
        /// The exporter's own namespace.
        case own
        case named([String])
        case allNamed
    }

    let selection: Selection
    let perConnection: Int
    private let lock = NSLock()
    private var workers: [String: NamespaceWorker] = [:]

    init(selection: Selection, perConnection: Int) throws {
        self.selection = selection
        self.perConnection = perConnection
        switch selection {
        case .own:
            let label = Self.ownLabel()
            workers[label] = try NamespaceWorker(name: nil, label: label, withRates: perConnection > 0)
        case .named(let names):
            for name in names where workers[name] == nil {
                workers[name] = try NamespaceWorker(name: name, label: name, withRates: perConnection > 0)
            }
        case .allNamed:
            try refresh()
        }
    }

    /// Collects every namespace (in parallel) and renders the exposition text.
    func scrape() async -> [UInt8] {
        if case .allNamed = selection { try? refresh() }
        let current = lock.withLock { workers.values.sorted { $0.label < $1.label } }
        let states = await withTaskGroup(of: NamespaceState?.self) { group in
            for w in current { group.addTask { await w.collect() } }
            var all: [NamespaceState] = []
            for await s in group { if let s { all.append(s) } }
            return all.sorted { $0.namespace < $1.namespace }
        }
        return Exposition.render(states, perConnection: perConnection)
    }

    /// Collects every namespace once; throws the first failure as a one-line error.
    func check() async throws {
        let current = lock.withLock { Array(workers.values) }
        for w in current {
            guard let state = await w.collect() else { continue }
            if !state.up { throw MPTopError.io("netns \(state.namespace): \(state.lastError ?? "collection failed")") }
        }
    }

    /// The labels of the namespaces watched now, for the `/` page.
    var labels: [String] { lock.withLock { workers.keys.sorted() } }

    /// Starts and stops workers to match /run/netns.
    private func refresh() throws {
        let names = Set(Self.namedNamespaces())
        try lock.withLock {
            for (name, worker) in workers where !names.contains(name) {
                worker.stop()
                workers[name] = nil
            }
            for name in names where workers[name] == nil {
                workers[name] = try NamespaceWorker(name: name, label: name, withRates: perConnection > 0)
            }
        }
    }

    /// The names in /run/netns, as `ip netns list` shows them.
    static func namedNamespaces() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/run/netns")) ?? [])
            .filter { NetworkNamespaceHandle.identity(named: $0) != nil }
    }

    /// The label of the exporter's own namespace: its name when /run/netns has one for it (the
    /// exporter was started with `ip netns exec NAME`), else `host`.
    static func ownLabel() -> String {
        guard let own = NamespaceIdentity.of(path: "/proc/self/ns/net") else { return "host" }
        return namedNamespaces().sorted().first { NetworkNamespaceHandle.identity(named: $0) == own } ?? "host"
    }
}
