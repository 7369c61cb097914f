import MPTCPKit
import Output
#if canImport(Glibc)
import Glibc
#endif

/// Something the traffic generator reports, one line each: JSON for programs, text for people.
public enum TrafficEvent: Sendable, Equatable {
    /// The server is accepting connections on `address`.
    case listening(address: String)
    /// A server-side connection ended (or was cut off by shutdown). `problem` says why it is not
    /// intact; `error` is a socket error that ended it (the bytes before it may still be intact).
    case closed(peer: String, bytesReceived: UInt64, intact: Bool, problem: String?, error: String?)
    /// Live totals while serving (`serve --progress SECS`): open connections, bytes received by
    /// all connections so far, and whether every byte so far was intact; `problem` names the
    /// first connection found not intact and why, `badOffset` the stream offset of its first
    /// wrong byte (when that is the problem).
    case progress(open: Int, bytesReceived: UInt64, intact: Bool, problem: String? = nil, badOffset: UInt64? = nil)
    /// The server is exiting; `problem` as in `progress`.
    case summary(connections: Int, bytesReceived: UInt64, intact: Bool, problem: String? = nil)
    /// The sender has all its connections open.
    case connected(connections: Int)
    /// The sender finished; `bytesSent` counts every byte written, headers included.
    case done(bytesSent: UInt64)

    /// One JSON object, e.g. `{"event":"closed","peer":"198.18.1.1:40000","bytes_received":16,"intact":true}`;
    /// `problem`, `error` and `bad_offset` only when there is one.
    public var json: String {
        var w = JSONWriter()
        w.beginObject()
        switch self {
        case .listening(let address):
            w.field("event", "listening")
            w.field("address", address)
        case .closed(let peer, let bytes, let intact, let problem, let error):
            w.field("event", "closed")
            w.field("peer", peer)
            Self.verdict(bytes, intact, problem, &w)
            if let error { w.field("error", error) }
        case .progress(let open, let bytes, let intact, let problem, let badOffset):
            w.field("event", "progress")
            w.field("open", open)
            Self.verdict(bytes, intact, problem, &w)
            if let badOffset { w.field("bad_offset", badOffset) }
        case .summary(let connections, let bytes, let intact, let problem):
            w.field("event", "summary")
            w.field("connections", connections)
            Self.verdict(bytes, intact, problem, &w)
        case .connected(let connections):
            w.field("event", "connected")
            w.field("connections", connections)
        case .done(let bytes):
            w.field("event", "done")
            w.field("bytes_sent", bytes)
        }
        w.endObject()
        return w.text
    }

    /// `"bytes_received":N,"intact":B` and the problem when there is one.
    private static func verdict(_ bytes: UInt64, _ intact: Bool, _ problem: String?, _ w: inout JSONWriter) {
        w.field("bytes_received", bytes)
        w.field("intact", intact)
        if let problem { w.field("problem", problem) }
    }

    /// One line for a person.
    public var text: String {
        switch self {
        case .listening(let address):
            return "listening on \(address)"
        case .closed(let peer, let bytes, let intact, let problem, let error):
            return "connection from \(peer) closed: \(bytes) bytes received, "
                + (intact ? "intact" : "NOT intact (\(problem ?? "corrupted"))")
                + (error.map { ", \($0)" } ?? "")
        case .progress(let open, let bytes, let intact, let problem, _):
            return "\(open) open, \(bytes) bytes received so far, " + (intact ? "intact" : "NOT intact")
                + (problem.map { " (\($0))" } ?? "")
        case .summary(let connections, let bytes, let intact, let problem):
            return "\(connections) connection\(connections == 1 ? "" : "s"), \(bytes) bytes received, "
                + (intact ? "all intact" : "NOT all intact") + (problem.map { " (\($0))" } ?? "")
        case .connected(let connections):
            return "\(connections) connection\(connections == 1 ? "" : "s") open"
        case .done(let bytes):
            return "done: \(bytes) bytes sent"
        }
    }
}

/// Writes events to stdout, one line each, straight to the descriptor: nothing sits in a
/// stdio buffer, so a test reading the pipe sees each event as it happens.
public struct TrafficEventWriter: Sendable {
    /// JSON lines when true, text lines otherwise.
    public let json: Bool

    public init(json: Bool) {
        self.json = json
    }

    /// Throws when stdout cannot take the line (its reader is gone): the command ends.
    public func emit(_ event: TrafficEvent) throws {
        try Console.out((json ? event.json : event.text) + "\n")
    }
}
