/// The last `capacity` values of a series, oldest first: the data behind a sparkline or chart.
/// Generic so a series can be stored compactly (Float rates, UInt32 microseconds) and read as
/// Doubles, and resizable so a series can keep a short window until someone looks at it.
public struct RingBuffer<Element: Sendable & Equatable>: Sendable, Equatable {
    public private(set) var capacity: Int
    private var storage: [Element] = []
    private var start = 0

    public init(capacity: Int) { self.capacity = max(1, capacity) }

    public mutating func append(_ value: Element) {
        if storage.count < capacity {
            // All at once: growing by doubling would leave a short window's array a third empty.
            if storage.isEmpty { storage.reserveCapacity(capacity) }
            storage.append(value)
        } else {
            storage[start] = value
            start = (start + 1) % capacity
        }
    }

    public var count: Int { storage.count }
    public var isFull: Bool { storage.count == capacity }

    /// The newest `n` values, oldest first.
    public func suffix(_ n: Int) -> [Element] { suffix(n) { $0 } }

    /// The newest `n` values, oldest first, each transformed (read a compact series as Doubles).
    public func suffix<T>(_ n: Int, _ transform: (Element) -> T) -> [T] {
        let k = min(n, storage.count)
        var out: [T] = []
        out.reserveCapacity(k)
        for i in (storage.count - k)..<storage.count { out.append(transform(storage[(start + i) % storage.count])) }
        return out
    }

    public var last: Element? { storage.isEmpty ? nil : storage[(start + storage.count - 1) % storage.count] }

    /// Keeps the newest `capacity` values (all of them when it grows) in storage of that size.
    public mutating func resize(to capacity: Int) {
        let capacity = max(1, capacity)
        var kept: [Element] = []
        kept.reserveCapacity(capacity)
        kept.append(contentsOf: suffix(capacity))
        storage = kept
        start = 0
        self.capacity = capacity
    }
}
