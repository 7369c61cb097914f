import MPTCPKit

/// Renders a long report's rows on two threads and writes them in order: `mptop --once` at
/// 10,000 connections spent 25–40 ms rendering on one core while the other had nothing left
/// to do (README, "Performance"). The rows are cut into pieces; this thread renders the even
/// ones, a helper the odd ones, each piece written as soon as it and all before it are
/// rendered, so the bytes are those one thread would write and about three pieces are held at
/// a time. `render` is called on both threads at once: it must read only what it is given.
enum PiecewiseRender {
    /// Rows per piece: about 0.9 MiB of JSON or 0.3 MiB of table at two subflows a connection.
    static let rowsPerPiece = 512

    /// Renders rows `0..<count` by `render(range, &buffer)` (appending to an empty buffer) and
    /// hands each piece's bytes to `write`, in order. A write that throws ends it, the helper's
    /// piece in hand being awaited first.
    static func write(count: Int, rowsPerPiece: Int = rowsPerPiece,
                      render: @escaping (Range<Int>, inout [UInt8]) -> Void,
                      to write: ([UInt8]) throws -> Void) rethrows {
        let pieces = stride(from: 0, to: count, by: rowsPerPiece).map { $0..<min($0 + rowsPerPiece, count) }
        var spare: [UInt8] = []
        var helper: BackgroundThread<[UInt8]>?
        func startHelper(_ piece: Int) {
            guard piece < pieces.count else { helper = nil; return }
            var bytes = spare
            spare = []
            let range = pieces[piece]
            helper = BackgroundThread {
                bytes.removeAll(keepingCapacity: true)
                render(range, &bytes)
                return bytes
            }
        }
        startHelper(1)
        // The helper's piece is awaited on every way out, a throwing write included.
        defer { _ = helper?.wait() }
        var mine: [UInt8] = []
        for piece in stride(from: 0, to: pieces.count, by: 2) {
            mine.removeAll(keepingCapacity: true)
            render(pieces[piece], &mine)
            try write(mine)
            guard let done = helper else { continue }
            let bytes = done.wait()
            startHelper(piece + 3)
            try write(bytes)
            spare = bytes
        }
    }
}
