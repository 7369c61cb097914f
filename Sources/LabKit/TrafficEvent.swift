import MPTCPKit
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

    /// One JSON object, e.g. `{"event":"closed","peer":"198.18.1.1:40000","bytes_received":16,"intact":true}`.
    public var json: String {
        switch self {
        case .listening(let address):
            return #"{"event":"listening","address":\#(JSONWriter.quoted(address))}"#
        case .closed(let peer, let bytes, let intact, let problem, let error):
            let extra = Self.problemField(problem)
                + (error.map { #","error":\#(JSONWriter.quoted($0))"# } ?? "")
            return #"{"event":"closed","peer":\#(JSONWriter.quoted(peer)),"bytes_received":\#(bytes),"intact":\#(intact)\#(extra)}"#
        case .progress(let open, let bytes, let intact, let problem, let badOffset):
            let extra = Self.problemField(problem) + (badOffset.map { #","bad_offset":\#($0)"# } ?? "")
            return #"{"event":"progress","open":\#(open),"bytes_received":\#(bytes),"intact":\#(intact)\#(extra)}"#
        case .summary(let connections, let bytes, let intact, let problem):
            return #"{"event":"summary","connections":\#(connections),"bytes_received":\#(bytes),"intact":\#(intact)\#(Self.problemField(problem))}"#
        case .connected(let connections):
            return #"{"event":"connected","connections":\#(connections)}"#
        case .done(let bytes):
            return #"{"event":"done","bytes_sent":\#(bytes)}"#
        }
    }

    /// `,"problem":"..."`, or nothing without one.
    private static func problemField(_ problem: String?) -> String {
        problem.map { #","problem":\#(JSONWriter.quoted($0))"# } ?? ""
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
