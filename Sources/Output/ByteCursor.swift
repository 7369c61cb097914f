import MPTCPKit

/// A growing byte buffer written through a cursor, for the JSON writer: a field's bytes go into
/// a block of the cursor's own through a pointer, and reach the `[UInt8]` in large copies. One
/// `Array.append(contentsOf:)` per field, each checking the array's capacity and uniqueness,
/// was a fifth of the writer's instructions (README, "Performance"); here a field costs one
/// comparison of its room with what is left of the block.
///
/// The one place the writer holds an unsafe pointer: `write` hands out exactly the room asked
/// for (its stores are bounds-checked in debug builds) and checks, in debug builds, that no more
/// was written. Not copyable, so no two writers share the block, and its deinit frees it.
struct ByteCursor: ~Copyable {
    /// Bytes in a block: a few connections of a report, small enough to stay in cache.
    static let blockSize = 16 * 1024

    /// What was written up to the last commit.
    private var committed: [UInt8]
    /// The block (allocated at the first write) and how much of it is written.
    private var block: UnsafeMutableRawPointer?
    private var capacity = 0
    private var used = 0

    init(taking buffer: inout [UInt8]) {
        committed = []
        swap(&committed, &buffer)
    }

    deinit { block?.deallocate() }

    /// Bytes written, committed or not.
    var count: Int { committed.count + used }

    /// Everything written, as one array (a copy).
    var bytes: [UInt8] {
        var all = committed
        if let block { all.append(contentsOf: UnsafeRawBufferPointer(start: block, count: used)) }
        return all
    }

    /// Lets `body` write at most `n` bytes at the cursor, into a buffer of exactly `n` bytes;
    /// it returns how many it wrote.
    @inline(__always)
    mutating func write(atMost n: Int, _ body: (UnsafeMutableRawBufferPointer) -> Int) {
        if capacity - used < n { makeRoom(n) }
        let written = body(UnsafeMutableRawBufferPointer(start: block! + used, count: n))
        assert(written >= 0 && written <= n, "wrote \(written) bytes into room for \(n)")
        used += written
    }

    /// Writes one byte (a bracket, a comma, a quote).
    @inline(__always)
    mutating func append(_ byte: UInt8) {
        write(atMost: 1) { out in out[0] = byte; return 1 }
    }

    /// Copies `b` to the end: through the block if it fits in one, else (a long string)
    /// straight after what was committed.
    mutating func copy(_ b: UnsafeRawBufferPointer) {
        guard b.count <= Self.blockSize else {
            commit()
            committed.append(contentsOf: b)
            return
        }
        write(atMost: b.count) { out in
            ShortCopy.copy(b, to: out)
            return b.count
        }
    }

    /// Commits the block and hands all that was written to `buffer`, without copying it;
    /// the cursor is left empty.
    mutating func finish(into buffer: inout [UInt8]) {
        commit()
        swap(&committed, &buffer)
        committed = []
    }

    /// Commits the block, hands all that was written to `write` and forgets it, keeping the
    /// array's storage.
    mutating func flush(_ write: ([UInt8]) throws -> Void) rethrows {
        commit()
        try write(committed)
        committed.removeAll(keepingCapacity: true)
    }

    /// Moves what the block holds to the end of `committed`.
    private mutating func commit() {
        guard let block, used > 0 else { return }
        committed.append(contentsOf: UnsafeRawBufferPointer(start: block, count: used))
        used = 0
    }

    /// Commits the block, and makes it at least `n` bytes (a piece larger than a block).
    private mutating func makeRoom(_ n: Int) {
        commit()
        guard capacity < n else { return }
        block?.deallocate()
        capacity = max(n, Self.blockSize)
        block = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 1)
    }
}
