import MPTCPKit

/// A growing run of plain values (bytes, a table's cells) in memory of its own, written through
/// pointers: the text table's storage. An `Array` checks its uniqueness and capacity on every
/// append, and a table of short cells makes several appends a cell (README, "Performance"); here the writer asks once for the room a whole cell can take (`reserve`),
/// writes into it, and counts what it wrote.
///
/// Not copyable, so two tables never share storage, and its deinit frees it.
struct GrowingBuffer<Element: BitwiseCopyable>: ~Copyable {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var capacity: Int
    /// Elements written, from `base` on.
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = Swift.max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Where the next element goes, with room for at least `n` from there on: the caller writes
    /// up to `n` and then counts them with `advance`.
    @inline(__always)
    mutating func reserve(_ n: Int) -> UnsafeMutablePointer<Element> {
        // Wrapping arithmetic: `count` and `capacity` are sizes of memory this buffer holds.
        if capacity &- count < n { grow(to: count + n) }
        return base + count
    }

    /// Counts `n` elements written at `reserve`'s pointer (no more than it made room for).
    @inline(__always)
    mutating func advance(_ n: Int) {
        assert(n >= 0 && count + n <= capacity, "advanced past the room reserved")
        count &+= n
    }

    @inline(__always)
    mutating func append(_ e: Element) {
        reserve(1).initialize(to: e)
        count &+= 1
    }

    /// Appends a copy of `elements`.
    mutating func append(contentsOf elements: UnsafeBufferPointer<Element>) {
        guard let from = elements.baseAddress else { return }
        reserve(elements.count).update(from: from, count: elements.count)
        count += elements.count
    }

    /// Forgets everything from `index` on, keeping the storage.
    mutating func removeSuffix(from index: Int) {
        precondition(index >= 0 && index <= count, "no such index")
        count = index
    }

    /// The elements written, for reading.
    var elements: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }

    @inline(never)
    private mutating func grow(to needed: Int) {
        let grown = Swift.max(needed, 2 * capacity)
        let storage = UnsafeMutablePointer<Element>.allocate(capacity: grown)
        storage.moveInitialize(from: base, count: count)
        base.deallocate()
        base = storage
        capacity = grown
    }
}

extension GrowingBuffer where Element == UInt8 {
    /// Appends a copy of `bytes` (a name, a word: mostly short), inline rather than by a call
    /// to memcpy.
    @inline(__always)
    mutating func append(bytes: UnsafeBufferPointer<UInt8>) {
        let to = reserve(bytes.count)
        ShortCopy.copy(UnsafeRawBufferPointer(bytes), to: UnsafeMutableRawBufferPointer(start: to, count: bytes.count))
        advance(bytes.count)
    }
}
