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

    /// Collects every namespace (in parallel, each on its worker's thread) and hands the
    /// exposition text to `done` on the thread of the last one to finish. No hop through Swift's
    /// concurrency: its threads keep libdispatch's nice value, not the exporter's (ThreadSettings).
    func scrape(_ done: @escaping @Sendable ([UInt8]) -> Void) {
        if case .allNamed = selection { try? refresh() }
        let current = lock.withLock { workers.values.sorted { $0.label < $1.label } }
        let perConnection = perConnection
        let gathering = Gathering(count: current.count) { done(Exposition.render($0, perConnection: perConnection)) }
        for (i, w) in current.enumerated() { w.collect { gathering.add($0, at: i) } }
    }

    func scrape() async -> [UInt8] {
        await withCheckedContinuation { (done: CheckedContinuation<[UInt8], Never>) in
            scrape { done.resume(returning: $0) }
        }
    }

    /// One scrape's states as the workers hand them in, in the order of their labels; the last
    /// one in finishes the scrape.
    private final class Gathering: @unchecked Sendable {
        private let lock = NSLock()
        private var states: [NamespaceState?]
        private var missing: Int
        private let finish: ([NamespaceState]) -> Void

        init(count: Int, finish: @escaping ([NamespaceState]) -> Void) {
            states = Array(repeating: nil, count: count)
            missing = count
            self.finish = finish
            if count == 0 { finish([]) }
        }

        func add(_ state: NamespaceState?, at index: Int) {
            let complete: [NamespaceState]? = lock.withLock {
                states[index] = state
                missing -= 1
                guard missing == 0 else { return nil }
                // Handed on, not kept: a copy held here would make the worker's next
                // collection copy the byte counters (copy on write) instead of updating them.
                defer { states = [] }
                return states.compactMap { $0 }
            }
            if let complete { finish(complete) }
        }
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
