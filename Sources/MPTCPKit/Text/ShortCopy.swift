/// Short copies, the size of a table cell, a JSON key or a name, done inline.
public enum ShortCopy {
    /// Copies `from` to the start of `to` (at least as long): up to 32 bytes (a key, a name) in
    /// at most four loads and stores, overlapping, rather than a call to memcpy, which is what
    /// `copyMemory` is and which cost more than the copy (README, "Performance").
    @inlinable @inline(__always)
    public static func copy(_ from: UnsafeRawBufferPointer, to: UnsafeMutableRawBufferPointer) {
        let n = from.count
        assert(n <= to.count, "copying \(n) bytes into \(to.count)")
        guard n > 0 else { return }
        guard n <= 32 else { to.copyMemory(from: from); return }
        let s = from.baseAddress!, d = to.baseAddress!
        @inline(__always) func move<T: FixedWidthInteger>(_ type: T.Type, at k: Int) {
            d.storeBytes(of: s.loadUnaligned(fromByteOffset: k, as: T.self), toByteOffset: k, as: T.self)
        }
        switch n {
        case 16...:
            move(UInt64.self, at: 0); move(UInt64.self, at: 8)
            move(UInt64.self, at: n - 16); move(UInt64.self, at: n - 8)
        case 8...:
            move(UInt64.self, at: 0); move(UInt64.self, at: n - 8)
        case 4...:
            move(UInt32.self, at: 0); move(UInt32.self, at: n - 4)
        case 2...:
            move(UInt16.self, at: 0); move(UInt16.self, at: n - 2)
        default:
            move(UInt8.self, at: 0)
        }
    }
}
