import FoundationEssentials
import MPTCPKit
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// Drains one pipe on a background thread and keeps everything it read.
///
/// A dedicated thread with blocking reads keeps the child from stalling on a full pipe. A
/// `ConditionLock` and a `BackgroundThread`, not Foundation's NSCondition and Thread: mptop links
/// this module, and Foundation with ICU cost it about 4 ms of start-up on every run.
final class OutputCollector: @unchecked Sendable {
    private let lock = ConditionLock()
    private var data: [UInt8] = []
    private var finished = false
    private var reader: BackgroundThread<Void>?

    /// Starts reading `fd` until end of file; the collector owns it and closes it then.
    init(fd: FileDescriptor) {
        reader = BackgroundThread { [self] in
            var chunk = [UInt8](repeating: 0, count: 16 * 1024)
            while true {
                // An error ends the collection like end of file (the read retries EINTR itself).
                guard let n = try? chunk.withUnsafeMutableBytes({ try fd.read(into: $0) }), n > 0 else { break }
                lock.locked {
                    data.append(contentsOf: chunk[0..<n])
                    lock.broadcast()
                }
            }
            try? fd.close()
            lock.locked {
                finished = true
                lock.broadcast()
            }
        }
    }

    /// Waits for a change until `deadline` (the mutex held); false once the deadline passed.
    private func waitForChange(before deadline: Date) -> Bool {
        let seconds = deadline.timeIntervalSince1970
        guard seconds > Date().timeIntervalSince1970 else { return false }
        return lock.wait(until: timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - seconds.rounded(.down)) * 1e9)))
    }

    /// Everything read so far, decoded as UTF-8 (invalid bytes replaced).
    var text: String {
        lock.locked { String(decoding: data, as: UTF8.self) }
    }

    /// Whether the writer closed the pipe and everything was read.
    var isFinished: Bool {
        lock.locked { finished }
    }

    /// Waits until end of file or `deadline`; returns whether end of file was reached.
    @discardableResult
    func waitUntilFinished(before deadline: Date) -> Bool {
        lock.locked {
            while !finished {
                if !waitForChange(before: deadline) { return finished }
            }
            return true
        }
    }

    /// Waits until `condition` holds for the text read so far, end of file, or `deadline`.
    /// Returns the text at that moment.
    func wait(before deadline: Date, until condition: (String) -> Bool) -> String {
        lock.locked {
            while true {
                let current = String(decoding: data, as: UTF8.self)
                if condition(current) || finished { return current }
                if !waitForChange(before: deadline) { return String(decoding: data, as: UTF8.self) }
            }
        }
    }
}
