#if canImport(Glibc)
import Glibc
#endif
import MPTCPKit

/// One readable line per event for `mptop events` and the dashboard's event log:
/// `06:05:12.345  SUB_CLOSED       5a3d3aed  198.18.2.1:40465 -> 198.18.0.1:5201  cell0  ids 1/0  connection aborted (closed locally)`.
public enum PathManagerEventText {
    /// The event's columns, for a caller that lays them out itself (the dashboard's log pane).
    public struct Columns: Sendable, Equatable {
        public var time: String
        public var type: String
        /// Token as 8 hex digits (`ss` prints the same number without leading zeros); "-" for none.
        public var token: String
        public var addresses: String
        public var interface: String
        /// Everything else: ids, backup, side, reason, raw attributes.
        public var details: String

        public init(time: String, type: String, token: String, addresses: String, interface: String, details: String) {
            self.time = time
            self.type = type
            self.token = token
            self.addresses = addresses
            self.interface = interface
            self.details = details
        }
    }

    public static func columns(_ e: PathManagerEvent) -> Columns {
        var addresses = ""
        switch (e.local, e.remote) {
        case let (l?, r?): addresses = "\(l) -> \(r)"
        case let (l?, nil): addresses = l.description
        case let (nil, r?): addresses = e.kind == .announced ? "peer announced \(r)" : "-> \(r)"
        case (nil, nil): addresses = ""
        }
        var details: [String] = []
        if e.localID != nil || e.remoteID != nil {
            details.append("ids \(e.localID.map { String($0) } ?? "?")/\(e.remoteID.map { String($0) } ?? "?")")
        }
        if e.backup == true { details.append("backup") }
        if e.kind == .subflowPriority, e.backup == false { details.append("not backup") }
        if e.serverSide == true { details.append("server side") }
        if e.denyJoinID0 { details.append("deny join id0") }
        if let reason = e.closeReason, e.kind == .subflowClosed || e.kind == .removed {
            details.append(reason)
        } else if let err = e.error {
            details.append("error: \(err.text)")
        }
        if let t = e.timeout { details.append("timeout \(t)") }
        for a in e.rawAttributes { details.append("attr\(a.type)=\(a.hex.isEmpty ? "(empty)" : a.hex)") }
        if e.truncated { details.append("(truncated)") }
        return Columns(time: clockTime(e.time), type: e.kind.label, token: tokenText(e.token),
                       addresses: addresses, interface: e.interfaceName?.escapedForTerminal ?? e.interfaceIndex.map { "if\($0)" } ?? "-",
                       details: details.joined(separator: "  "))
    }

    /// The whole line, columns padded so successive lines align.
    public static func line(_ e: PathManagerEvent) -> String {
        let c = columns(e)
        var s = c.time + "  " + pad(c.type, 16) + "  " + pad(c.token, 8) + "  " + pad(c.addresses, 44) + "  " + pad(c.interface, 6)
        if !c.details.isEmpty { s += "  " + c.details }
        while s.last == " " { s.removeLast() }
        return s
    }

    /// Local wall-clock time `HH:MM:SS.mmm`.
    public static func clockTime(_ seconds: Double) -> String {
        var t = time_t(seconds.rounded(.down))
        var parts = tm()
        localtime_r(&t, &parts)
        let ms = Int(((seconds - seconds.rounded(.down)) * 1000).rounded(.down))
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let msText = ms < 10 ? "00\(ms)" : ms < 100 ? "0\(ms)" : "\(ms)"
        return "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(msText)"
    }

    private static func pad(_ s: String, _ width: Int) -> String { s.padded(to: width) }
}
