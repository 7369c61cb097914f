/// The last `capacity` values of a series, oldest first: the data behind a sparkline or chart.
public struct RingBuffer: Sendable, Equatable {
    public let capacity: Int
    private var storage: [Double] = []
    private var start = 0

    public init(capacity: Int) { self.capacity = max(1, capacity) }

    public mutating func append(_ value: Double) {
        if storage.count < capacity {
            storage.append(value)
        } else {
            storage[start] = value
            start = (start + 1) % capacity
        }
    }

    public var count: Int { storage.count }

    /// The newest `n` values, oldest first.
    public func suffix(_ n: Int) -> [Double] {
        let k = min(n, storage.count)
        var out: [Double] = []
        out.reserveCapacity(k)
        for i in (storage.count - k)..<storage.count { out.append(storage[(start + i) % storage.count]) }
        return out
    }

    public var last: Double? { storage.isEmpty ? nil : storage[(start + storage.count - 1) % storage.count] }
}
