/// Socket index by a 32-bit key (token or inode).
typealias SocketIndex = OpenIndex<UInt32>

/// Index by an unsigned integer key (a token, an inode, a socket cookie): open addressing in
/// one flat array of slots, so a lookup is usually one probe where a Dictionary hashed with
/// SipHash and missed the cache twice (`perf` on the join at 10,000 connections). Key 0 marks a
/// free slot; neither a token nor an inode of 0 is ever indexed (a cookie of 0 is the caller's
/// to handle). A key added again keeps the last index, as a Dictionary assignment did.
struct OpenIndex<Key: FixedWidthInteger & UnsignedInteger> {
    private var slots: [(key: Key, value: Int32)]
    private var count = 0

    init(capacity: Int = 0) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: (0, 0), count: size)
    }

    /// Multiplicative hashing: tokens are random already, inodes and cookies are consecutive
    /// numbers, which this spreads over the table.
    @inline(__always)
    private func home(_ key: Key) -> Int {
        Int(truncatingIfNeeded: (UInt64(truncatingIfNeeded: key) &* 0x9E37_79B9_7F4A_7C15) >> 32) & (slots.count - 1)
    }

    subscript(key: Key) -> Int32? {
        guard key != 0 else { return nil }
        var i = home(key)
        while true {
            let s = slots[i]
            if s.key == key { return s.value }
            if s.key == 0 { return nil }
            i = (i + 1) & (slots.count - 1)
        }
    }

    /// Returns false when `key` was there already (its index is replaced) or is 0 (ignored).
    @discardableResult
    mutating func insert(_ key: Key, _ value: Int32) -> Bool {
        guard key != 0 else { return false }
        if (count + 1) * 2 > slots.count { grow() }
        var i = home(key)
        while slots[i].key != 0 && slots[i].key != key { i = (i + 1) & (slots.count - 1) }
        let new = slots[i].key == 0
        if new { count += 1 }
        slots[i] = (key, value)
        return new
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: (0, 0), count: old.count * 2)
        count = 0
        for s in old where s.key != 0 { insert(s.key, s.value) }
    }
}
