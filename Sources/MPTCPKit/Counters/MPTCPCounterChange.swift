/// One counter between two readings: the counters pane shows `value`, highlights non-zero `delta`.
public struct MPTCPCounterChange: Sendable, Equatable {
    public let name: String
    public let group: MPTCPCounterGroup
    public let value: UInt64
    /// Change since the previous reading; nil on the first reading or for a counter the
    /// previous reading did not have. Negative only for a gauge (MPCurrEstab).
    public let delta: Int64?
    public let isGauge: Bool

    public var changed: Bool { (delta ?? 0) != 0 }

    /// Every counter of `current`, in the kernel's order, with its change since `previous`.
    public static func between(_ previous: MPTCPCounters?, _ current: MPTCPCounters) -> [MPTCPCounterChange] {
        current.entries.map { e in
            let delta = previous?[e.name].map { Int64(bitPattern: e.value &- $0) }
            return MPTCPCounterChange(name: e.name, group: MPTCPCounterGroup.of(e.name), value: e.value,
                                      delta: delta, isGauge: MPTCPCounterGroup.gauges.contains(e.name))
        }
    }

    /// `changes` by group, groups in display order (empty groups left out), counters in kernel order.
    public static func grouped(_ changes: [MPTCPCounterChange]) -> [(group: MPTCPCounterGroup, counters: [MPTCPCounterChange])] {
        MPTCPCounterGroup.allCases.compactMap { g in
            let members = changes.filter { $0.group == g }
            return members.isEmpty ? nil : (g, members)
        }
    }
}

/// Reads the counters on every `refresh()` and reports the changes since the previous one:
/// what the counters pane calls once per refresh, in the namespace's thread.
public final class MPTCPCounterMonitor {
    private var previous: MPTCPCounters?
    private let read: () throws -> MPTCPCounters

    public init(read: @escaping () throws -> MPTCPCounters = { try MPTCPCounters.read() }) {
        self.read = read
    }

    /// The last reading, nil before the first refresh.
    public var last: MPTCPCounters? { previous }

    public func refresh() throws -> [MPTCPCounterChange] {
        let current = try read()
        defer { previous = current }
        return MPTCPCounterChange.between(previous, current)
    }
}
