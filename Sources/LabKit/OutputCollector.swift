import Foundation
import SystemPackage

/// Drains one pipe on a background thread and keeps everything it read.
///
/// A dedicated thread with blocking reads (rather than `readabilityHandler`) keeps the child from
/// stalling on a full pipe and behaves the same on every Foundation version.
final class OutputCollector: @unchecked Sendable {
    private let lock = NSCondition()
    private var data = Data()
    private var finished = false

    /// Starts reading `fd` until end of file; the collector owns it and closes it then.
    init(fd: FileDescriptor) {
        let thread = Thread { [self] in
            var chunk = [UInt8](repeating: 0, count: 16 * 1024)
            while true {
                // An error ends the collection like end of file (the read retries EINTR itself).
                guard let n = try? chunk.withUnsafeMutableBytes({ try fd.read(into: $0) }), n > 0 else { break }
                lock.lock()
                data.append(contentsOf: chunk[0..<n])
                lock.broadcast()
                lock.unlock()
            }
            try? fd.close()
            lock.lock()
            finished = true
            lock.broadcast()
            lock.unlock()
        }
        thread.start()
    }

    /// Everything read so far, decoded as UTF-8 (invalid bytes replaced).
    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }

    /// Whether the writer closed the pipe and everything was read.
    var isFinished: Bool {
        lock.lock()
        defer { lock.unlock() }
        return finished
    }

    /// Waits until end of file or `deadline`; returns whether end of file was reached.
    @discardableResult
    func waitUntilFinished(before deadline: Date) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        while !finished {
            if !lock.wait(until: deadline) { return finished }
        }
        return true
    }

    /// Waits until `condition` holds for the text read so far, end of file, or `deadline`.
    /// Returns the text at that moment.
    func wait(before deadline: Date, until condition: (String) -> Bool) -> String {
        lock.lock()
        defer { lock.unlock() }
        while true {
            let current = String(decoding: data, as: UTF8.self)
            if condition(current) || finished { return current }
            if !lock.wait(until: deadline) { return String(decoding: data, as: UTF8.self) }
        }
    }
}
