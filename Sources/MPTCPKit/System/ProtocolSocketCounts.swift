import SystemPackage

/// The kernel's count of MPTCP sockets in use in one network namespace, IPv4 and IPv6
/// (`/proc/net/protocols`, its "sockets" column for the MPTCP and MPTCPv6 protocols).
///
/// The count goes up and down exactly where a socket enters and leaves what the MPTCP dump
/// lists (a listener, a connection with its token), so a family whose count is 0 has nothing
/// to dump: the IPv6 MPTCP dump, empty on most hosts, still walked the kernel's whole token
/// table (3–4 ms at 10,000 connections). Tried on 6.18 with listeners, dual-stack listeners,
/// v4-mapped connections and connections that fell back to TCP: the counts and `ss -M -4/-6`
/// agreed in every state. The first sample also takes its count as the room to make for
/// connections.
///
/// The file is opened once, in the namespace of the thread that makes the counter, and read
/// again from its start for each count: a /proc/net file stays bound to the namespace it was
/// opened in, whichever thread reads it later.
final class ProtocolSocketCounts {
    struct Counts: Equatable {
        var ipv4: Int
        var ipv6: Int
        var total: Int { ipv4 + ipv6 }
    }

    /// Beyond this a count is not believed: room for more is made as the sockets come.
    static let most = 1 << 18
    private static let path = "/proc/thread-self/net/protocols"
    private let file: FileDescriptor?

    init() {
        file = try? FileDescriptor.open(FilePath(Self.path), .readOnly, options: [.closeOnExec, .nonBlocking])
    }

    deinit { try? file?.close() }

    /// The counts now; nil when the file cannot be read or names no MPTCP protocol.
    func read() -> Counts? {
        // Some 30 lines of about 120 bytes; more than 64 KiB is no protocols file.
        guard let file, (try? file.seek(offset: 0, from: .start)) != nil,
              let bytes = try? TextFile.bytes(descriptor: file, path: Self.path, limit: 64 << 10) else { return nil }
        return bytes.withUnsafeBytes { Self.counts(in: $0) }
    }

    /// The counts in the file's text: the column headed "sockets" of the lines MPTCP and
    /// MPTCPv6, each at most `most`; nil without the heading or without either line.
    static func counts(in text: UnsafeRawBufferPointer) -> Counts? {
        var lines = text.split(separator: 0x0a)[...]
        guard let header = lines.popFirst(),
              let column = fields(header).firstIndex(where: { $0.elementsEqual("sockets".utf8) }) else { return nil }
        var counts: Counts?
        for line in lines {
            let f = fields(line)
            guard f.count > column, let n = decimal(f[column]) else { continue }
            if f[0].elementsEqual("MPTCP".utf8) {
                counts = Counts(ipv4: n, ipv6: counts?.ipv6 ?? 0)
            } else if f[0].elementsEqual("MPTCPv6".utf8) {
                counts = Counts(ipv4: counts?.ipv4 ?? 0, ipv6: n)
            }
        }
        return counts
    }

    private static func fields(_ line: Slice<UnsafeRawBufferPointer>) -> [Slice<UnsafeRawBufferPointer>] {
        line.split(separator: 0x20)
    }

    /// Digits only, capped at `most` (no overflow from any length of them).
    private static func decimal(_ field: Slice<UnsafeRawBufferPointer>) -> Int? {
        guard !field.isEmpty else { return nil }
        var v = 0
        for b in field {
            guard b >= 0x30 && b <= 0x39 else { return nil }
            v = min(v * 10 + Int(b - 0x30), most)
        }
        return v
    }
}
