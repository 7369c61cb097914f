#if canImport(Glibc)
import Glibc
#endif

/// The namespace's MPTCP MIB counters: the `MPTcpExt:` line pair of `/proc/net/netstat`
/// (a header line of names, then a line of values), keyed by name. The list is append-only and
/// differs per kernel (76 counters on 6.18), so nothing is read by position: names the code
/// does not know are kept like the rest (docs/kernel.md, "Counters").
public struct MPTCPCounters: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public let name: String
        public let value: UInt64
        public init(name: String, value: UInt64) {
            self.name = name
            self.value = value
        }
    }

    /// Counters in the kernel's order.
    public let entries: [Entry]
    private let index: [String: Int]

    public init(entries: [Entry]) {
        self.entries = entries
        var index: [String: Int] = [:]
        for (i, e) in entries.enumerated() where index[e.name] == nil { index[e.name] = i }
        self.index = index
    }

    public subscript(name: String) -> UInt64? { index[name].map { entries[$0].value } }

    public static func == (a: MPTCPCounters, b: MPTCPCounters) -> Bool { a.entries == b.entries }

    /// The file to read. `/proc/net` is `/proc/self/net`, which follows the namespace of the
    /// process's main thread; `thread-self` follows the calling thread, which is the one that
    /// entered the watched namespace (checked on 6.18: after setns in a second thread,
    /// /proc/self/net still showed the original namespace, /proc/thread-self/net the new one).
    public static let defaultPath = "/proc/thread-self/net/netstat"

    /// Parses `/proc/net/netstat` text; nil when it has no `MPTcpExt:` pair (no MPTCP).
    /// A value that is not a number is left out; extra names or values are ignored.
    public static func parse(netstat text: String) -> MPTCPCounters? {
        var header: [Substring]?
        for line in text.split(separator: "\n") where line.hasPrefix("MPTcpExt:") {
            let words = line.split(separator: " ").dropFirst()
            guard let names = header else {
                header = Array(words)
                continue
            }
            var entries: [Entry] = []
            entries.reserveCapacity(names.count)
            for (name, value) in zip(names, words) {
                if let v = UInt64(value) { entries.append(Entry(name: String(name), value: v)) }
            }
            return MPTCPCounters(entries: entries)
        }
        return nil
    }

    /// Reads the calling thread's namespace's counters. Throws `.mptcpMissing` when the file
    /// has no MPTcpExt lines, a `TextFile.ReadError` or `SystemCallError` when it cannot be read.
    public static func read(path: String = defaultPath) throws -> MPTCPCounters {
        var text = try readFile(path)
        if text == nil, path == defaultPath { text = try readFile("/proc/self/net/netstat") } // kernels before 3.17
        guard let text else { throw SystemCallError(.read, path, .noSuchFileOrDirectory) }
        guard let counters = parse(netstat: text) else { throw MPTopError.mptcpMissing }
        return counters
    }

    /// The file, nil when it does not exist; other failures as `TextFile.ReadError`.
    static func readFile(_ path: String) throws -> String? {
        try TextFile.read(path)
    }
}
