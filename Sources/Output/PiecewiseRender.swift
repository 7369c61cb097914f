import MPTCPKit

/// Renders a long report's rows on two threads and writes them in order: `mptop --once` at
/// 10,000 connections spent 25–40 ms rendering on one core while the other had nothing left
/// to do (README, "Performance"). The rows are cut into pieces; this thread renders the even
/// ones, one helper thread the odd ones, each piece written as soon as it and all before it are
/// rendered, so the bytes are those one thread would write. The helper renders up to `ahead`
/// pieces before they are written, in buffers that go back and forth: about four pieces are
/// held at a time. `render` is called on both threads at once: it must read only what it is given.
///
/// One helper for the whole report, not one thread a piece: a thread started for each odd
/// piece after the last was written waited for this thread's piece every time, and the two
/// rendered side by side only half the time (10,000 connections: 20 ms for 17 MB, one thread
/// alone 17 ms).
enum PiecewiseRender {
    /// Rows per piece: about 230 KiB of JSON or 75 KiB of table at two subflows a connection.
    /// Each of the three or four buffers in use grows to a piece's size, and in a new process
    /// every 4 KiB of it first touched is a page fault (2–3 µs on the build machine): at
    /// 512 rows (0.9 MiB) they were 1,500 of the 8,100 faults of `mptop --once --json` at
    /// 10,000 connections, and the helper waited longer for its first piece.
    static let rowsPerPiece = 128
    /// Pieces the helper may have rendered and not yet handed over.
    static let ahead = 2

    /// Renders rows `0..<count` by `render(range, &buffer)` (appending to an empty buffer) and
    /// hands each piece's bytes to `write`, in order. A write that throws ends it, the helper
    /// being stopped and awaited first.
    static func write(count: Int, rowsPerPiece: Int = rowsPerPiece,
                      render: @escaping (Range<Int>, inout [UInt8]) -> Void,
                      to write: ([UInt8]) throws -> Void) rethrows {
        let pieces = stride(from: 0, to: count, by: rowsPerPiece).map { $0..<min($0 + rowsPerPiece, count) }
        var mine: [UInt8] = []
        func oneThread() throws {
            for piece in pieces {
                mine.removeAll(keepingCapacity: true)
                render(piece, &mine)
                try write(mine)
            }
        }
        guard pieces.count > 1 else { return try oneThread() }
        let handoff = PieceHandoff(buffers: ahead)
        guard let helper = BackgroundThread.started({
            for piece in stride(from: 1, to: pieces.count, by: 2) {
                guard var bytes = handoff.takeEmpty() else { return }
                bytes.removeAll(keepingCapacity: true)
                render(pieces[piece], &bytes)
                handoff.put(rendered: consume bytes)
            }
        }) else {
            // No thread to be had: the helper's loop would wait here for buffers this thread
            // has not written yet. Every piece on this thread, then.
            return try oneThread()
        }
        // The helper is stopped and awaited on every way out, a throwing write included.
        defer {
            handoff.cancel()
            helper.wait()
        }
        for piece in stride(from: 0, to: pieces.count, by: 2) {
            mine.removeAll(keepingCapacity: true)
            render(pieces[piece], &mine)
            try write(mine)
            guard piece + 1 < pieces.count else { break }
            let theirs = handoff.takeRendered()
            try write(theirs)
            handoff.giveBack(consume theirs)
        }
    }
}

/// The buffers between `PiecewiseRender`'s two threads: rendered pieces in order one way, empty
/// buffers (their memory kept) the other, under a `ConditionLock` as the two wait for each other.
private final class PieceHandoff: @unchecked Sendable {
    private var rendered: [[UInt8]] = []
    private var empty: [[UInt8]]
    private var cancelled = false
    private let lock = ConditionLock()

    init(buffers: Int) {
        empty = Array(repeating: [], count: buffers)
    }

    /// The helper's next buffer, once one is free; nil when the writing ended.
    func takeEmpty() -> [UInt8]? {
        lock.locked {
            while empty.isEmpty && !cancelled { lock.wait() }
            return cancelled ? nil : empty.removeLast()
        }
    }

    // `put` and `giveBack` lock by hand: a closure given to `locked` cannot consume the buffer.
    func put(rendered bytes: consuming [UInt8]) {
        lock.lock()
        rendered.append(bytes)
        lock.broadcast()
        lock.unlock()
    }

    /// The next rendered piece, waiting for the helper if need be.
    func takeRendered() -> [UInt8] {
        lock.locked {
            while rendered.isEmpty { lock.wait() }
            return rendered.removeFirst()
        }
    }

    /// A written piece's buffer, for the helper to render into again (consumed: no other
    /// reference is left to make the helper's next append copy it).
    func giveBack(_ bytes: consuming [UInt8]) {
        lock.lock()
        empty.append(bytes)
        lock.broadcast()
        lock.unlock()
    }

    func cancel() {
        lock.locked {
            cancelled = true
            lock.broadcast()
        }
    }
}
