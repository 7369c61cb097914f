import Foundation
import LabKit

/// What `ss` (iproute2) says about the sockets of a namespace: the independent view mptop is
/// checked against.
struct SSReport {
    /// One socket line of `ss -Mnie` or `ss -tnie` and the info line under it.
    struct Socket {
        let state: String
        /// "198.18.2.1:58567" or "[2001:db8:2::1]:41678", without ss's "%dev" suffix.
        let local: String
        let remote: String
        /// The device ss shows after "%" when the socket is bound to one ("cell0").
        let boundDevice: String?
        let inode: Int?
        /// The info line's `key:value` words (the last value wins for repeated keys).
        let info: [String: String]

        /// MPTCP connection token as 8 hex digits (ss -M: `token:2e687315`).
        var token: String? { info["token"].flatMap { SSReport.normalizedToken(Substring($0)) } }

        /// A subflow's local token as 8 hex digits (ss -t: `tcp-ulp-mptcp ... token:REM(id:0)/LOC(id:1)`).
        var localToken: String? {
            guard let value = info["token"], let slash = value.firstIndex(of: "/") else { return nil }
            let loc = value[value.index(after: slash)...]
            return SSReport.normalizedToken(loc.prefix { $0 != "(" })
        }

        /// Whether the subflow carries the MPTCP ULP.
        var isMPTCPSubflow: Bool { info["tcp-ulp-mptcp"] != nil }

        var cwnd: Int? { info["cwnd"].flatMap { Int($0) } }
    }

    let sockets: [Socket]

    /// Runs `ss -N namespace <flags>` and parses it.
    static func capture(namespace: String, flags: String) throws -> SSReport {
        try SSReport(parsing: ShellCommand.check("ss", ["-N", namespace, flags]))
    }

    /// MPTCP connections: `ss -Mnie`.
    static func connections(namespace: String) throws -> SSReport {
        try capture(namespace: namespace, flags: "-Mnie")
    }

    /// TCP sockets with MPTCP ULP info: `ss -tnie`.
    static func tcp(namespace: String) throws -> SSReport {
        try capture(namespace: namespace, flags: "-tnie")
    }

    init(parsing text: String) {
        var sockets: [Socket] = []
        var pending: [String]?
        var info: [String: String] = [:]
        func flush() {
            if let fields = pending, fields.count >= 5 {
                let (local, device) = SSReport.splitDevice(fields[3])
                let (remote, _) = SSReport.splitDevice(fields[4])
                let inode = fields.first { $0.hasPrefix("ino:") }.flatMap { Int($0.dropFirst(4)) }
                sockets.append(Socket(state: fields[0], local: local, remote: remote, boundDevice: device,
                                      inode: inode, info: info))
            }
            pending = nil
            info = [:]
        }
        for line in text.split(separator: "\n") {
            if line.hasPrefix("State") { continue }
            if line.first == " " || line.first == "\t" {
                for word in line.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
                    if let colon = word.firstIndex(of: ":") {
                        info[String(word[..<colon])] = String(word[word.index(after: colon)...])
                    } else {
                        info[String(word)] = ""
                    }
                }
            } else {
                flush()
                pending = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            }
        }
        flush()
        self.sockets = sockets
    }

    /// ss prints tokens with "%x", so 0x02256033 shows as "2256033"; mptop always prints 8 digits.
    static func normalizedToken(_ text: Substring) -> String? {
        guard let value = UInt32(text, radix: 16) else { return nil }
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// "198.18.2.1%cell0:58567" -> ("198.18.2.1:58567", "cell0"); "[::1]%lo:5" likewise.
    static func splitDevice(_ address: String) -> (String, String?) {
        guard let percent = address.firstIndex(of: "%"), let colon = address.lastIndex(of: ":"),
              percent < colon else { return (address, nil) }
        let device = String(address[address.index(after: percent)..<colon])
        return (String(address[..<percent]) + String(address[colon...]), device)
    }

    /// Established MPTCP subflows grouped by local token.
    var subflowsByToken: [String: [Socket]] {
        Dictionary(grouping: sockets.filter { $0.state == "ESTAB" && $0.isMPTCPSubflow && $0.localToken != nil },
                   by: { $0.localToken ?? "" })
    }
}
