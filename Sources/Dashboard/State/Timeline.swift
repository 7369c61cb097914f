import MPTCPKit

/// Something that happened to a path, at a time: what the detail view marks on its time axis
/// and the event log lists beside the kernel's events. Subflows opening and closing and backup
/// changes come from the kernel's events; stalls and recoveries from the subflow status the
/// samples show (the kernel sends no event for them); failover tests from the dashboard itself.
public struct TimelineMark: Sendable, Equatable {
    public enum Kind: Sendable, Equatable, CaseIterable {
        case established, closed, stalled, recovered, backupChanged, failoverStarted, failoverEnded

        /// The character on the time axis; the legend explains it.
        public var letter: Character {
            switch self {
            case .established: return "E"
            case .closed: return "C"
            case .stalled: return "S"
            case .recovered: return "R"
            case .backupChanged: return "B"
            case .failoverStarted: return "F"
            case .failoverEnded: return "f"
            }
        }

        public var legend: String {
            switch self {
            case .established: return "established"
            case .closed: return "closed"
            case .stalled: return "stalled"
            case .recovered: return "recovered"
            case .backupChanged: return "backup"
            case .failoverStarted: return "failover"
            case .failoverEnded: return "restored"
            }
        }

        /// The event log's TYPE column for marks that are not kernel events.
        var logType: String {
            switch self {
            case .stalled: return "STALLED"
            case .recovered: return "RECOVERED"
            case .failoverStarted: return "FAILOVER"
            case .failoverEnded: return "FAILOVER_END"
            case .established: return "SUB_ESTABLISHED"
            case .closed: return "SUB_CLOSED"
            case .backupChanged: return "SUB_PRIORITY"
            }
        }

        /// Whether the kernel's event log already has it (then the log does not list it twice).
        var fromKernel: Bool { self == .established || self == .closed || self == .backupChanged }
    }

    /// Whose time axis a mark goes on.
    public enum Subject: Sendable, Equatable {
        /// A connection the samples showed (a stall, a recovery, a failover test of it), by
        /// identity; with its token when it has one, for the event log.
        case connection(ConnectionID, token: UInt32?)
        /// What a kernel event names: the connection with this token (events carry no cookie).
        case token(UInt32)
        /// Every connection (a failover test of an interface).
        case everyConnection

        /// Whether the mark belongs on `c`'s axis. By token only when `c` has one: two
        /// connections without a token are not one connection.
        public func matches(_ c: Connection) -> Bool {
            switch self {
            case .connection(let id, _): return id == c.id
            case .token(let token): return c.token == token
            case .everyConnection: return true
            }
        }

        /// The token to show in the event log (nil: "-").
        public var token: UInt32? {
            switch self {
            case .connection(_, let token): return token
            case .token(let token): return token
            case .everyConnection: return nil
            }
        }
    }

    /// Wall-clock seconds.
    public let time: Double
    public let kind: Kind
    public let subject: Subject
    public let interface: String?
    /// In words: "wifi0 stalled", "wifi0 recovered after 3.4 s".
    public let text: String
    /// For a recovery: how long the path was stalled, in seconds.
    public var after: Double? = nil
}

/// The marks of the last minutes, bounded, and what it takes to derive the status ones.
public struct Timeline: Sendable {
    public static let capacity = 1000
    public private(set) var marks: [TimelineMark] = []

    /// The subflows (by cookie) stalled at the last sample, and since when. Only those: a
    /// table of every subflow, rebuilt at every sample, was a quarter of the view model update
    /// at 20,000 connections.
    private var stalledSince: [UInt64: Double] = [:]

    public init() {}

    public mutating func append(_ mark: TimelineMark) {
        marks.append(mark)
        if marks.count > Self.capacity { marks.removeFirst(marks.count - Self.capacity) }
    }

    /// Status transitions between the last sample and this one.
    mutating func observe(_ snapshot: Snapshot) {
        var next: [UInt64: Double] = [:]
        // Subflows read in place, and the table asked only when it holds something or the
        // subflow is stalled: a copy of every subflow and a lookup of each was most of this.
        let anyStalledBefore = !stalledSince.isEmpty
        for ci in snapshot.connections.indices {
            for si in snapshot.connections[ci].subflows.indices {
                let stalled = snapshot.connections[ci].subflows[si].status.isStalled
                guard stalled || anyStalledBefore else { continue }
                let s = snapshot.connections[ci].subflows[si]
                let known = stalledSince[s.cookie]
                let c = snapshot.connections[ci]
                let subject = TimelineMark.Subject.connection(c.id, token: c.token)
                if stalled {
                    if let known {
                        next[s.cookie] = known
                        continue
                    }
                    // The path went silent when the last ACK came, not when this sample saw it.
                    let since = snapshot.time - Double(s.rttAge ?? 0) / 1000
                    next[s.cookie] = since
                    let name = s.interfaceName ?? "?"
                    append(TimelineMark(time: since, kind: .stalled, subject: subject, interface: name, text: "\(name) stalled"))
                } else if let since = known {
                    let name = s.interfaceName ?? "?"
                    let after = snapshot.time - since
                    append(TimelineMark(time: snapshot.time, kind: .recovered, subject: subject, interface: name,
                                        text: "\(name) recovered after \(Units.fixed(after, decimals: 1)) s", after: after))
                }
            }
        }
        stalledSince = next
    }

    /// The kernel's subflow events, as marks.
    mutating func note(_ events: [PathManagerEvent]) {
        for e in events {
            // A subflow event always names its connection's token; one without could go on
            // no connection's axis (the event log lists it all the same).
            guard let token = e.token else { continue }
            let subject = TimelineMark.Subject.token(token)
            let name = e.interfaceName ?? "?"
            switch e.kind {
            case .subflowEstablished:
                append(TimelineMark(time: e.time, kind: .established, subject: subject, interface: name, text: "\(name) subflow established"))
            case .subflowClosed:
                append(TimelineMark(time: e.time, kind: .closed, subject: subject, interface: name,
                                    text: "\(name) subflow closed" + (e.closeReason.map { ": \($0)" } ?? "")))
            case .subflowPriority:
                append(TimelineMark(time: e.time, kind: .backupChanged, subject: subject, interface: name,
                                    text: "\(name) backup \(e.backup == true ? "on" : "off")"))
            default:
                break
            }
        }
    }

    /// The marks of one connection (and those for every connection), oldest first.
    public func marks(for connection: Connection) -> [TimelineMark] {
        marks.filter { $0.subject.matches(connection) }
    }
}
