import ArgumentParser
import Exporter
import MPTCPKit
import Output
#if canImport(Glibc)
import Glibc
#endif

/// `mptop-exporter`: MPTCP connections, subflows, interface shares, MIB counters and
/// path-manager events for Prometheus. Read-only: it never changes a connection.
@main
struct ExporterCommand: AsyncParsableCommand {
    /// Not in the Prometheus wiki's list of allocated exporter ports at the time of writing.
    static let defaultListen = "127.0.0.1:9479"

    static let configuration = CommandConfiguration(
        commandName: "mptop-exporter",
        abstract: "Prometheus exporter for Linux Multipath TCP (read-only).",
        discussion: """
        Serves GET /metrics (and a small page at /). Every series has a netns label. Runs \
        unprivileged where the kernel allows; path-manager events need CAP_NET_ADMIN (without it \
        mptop_events_subscribed{reason="no_cap_net_admin"} is 0 and the event series are absent); \
        entering a named namespace needs CAP_SYS_ADMIN.
        """,
        version: "mptop-exporter " + MptopVersion.number)

    @Option(help: ArgumentHelp("Address and port to serve on (IPv6 as [ADDR]:PORT).", valueName: "ADDR:PORT"))
    var listen: String = defaultListen

    @Option(help: ArgumentHelp("Watch this named network namespace (repeatable) instead of the exporter's own.", valueName: "NAME"))
    var netns: [String] = []

    @Flag(help: "Watch every named network namespace (/run/netns), including ones created later.")
    var allNetns = false

    @Option(help: ArgumentHelp("Write the metrics to this file for node_exporter's textfile collector instead of serving HTTP.", valueName: "PATH"))
    var textfile: String?

    @Option(help: ArgumentHelp("Seconds between writes with --textfile (default 15).", valueName: "S"))
    var interval: Double?

    @Option(help: ArgumentHelp("Give the N busiest connections of each namespace series of their own, labelled by token.", valueName: "N"))
    var perConnection: Int = 0

    func validate() throws {
        if allNetns && !netns.isEmpty { throw ValidationError("--all-netns and --netns exclude each other") }
        for name in netns {
            if let problem = NetworkNamespaceName.problem(with: name) {
                throw ValidationError("invalid namespace name \(NetworkNamespaceName.quoted(name)): \(problem)")
            }
        }
        if let interval {
            guard textfile != nil else { throw ValidationError("--interval goes with --textfile (Prometheus decides when to scrape)") }
            guard interval.isFinite, interval >= 0.1, interval <= 86_400 else {
                throw ValidationError("--interval takes seconds from 0.1 to 86400")
            }
        }
        guard (0...10_000).contains(perConnection) else { throw ValidationError("--per-connection takes 0 to 10000") }
        if textfile == nil { _ = try Self.parseListen(listen) }
    }

    /// `ADDR:PORT` or `[IPV6]:PORT`.
    static func parseListen(_ text: String) throws -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (1...65_535).contains(port) else {
            throw ValidationError("--listen takes ADDR:PORT, e.g. \(defaultListen), not '\(text)'")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, IPAddress(host) != nil else {
            throw ValidationError("--listen needs a numeric address, not '\(host)'")
        }
        return (host, port)
    }

    func run() async throws {
        let selection: Fleet.Selection = allNetns ? .allNamed : netns.isEmpty ? .own : .named(netns)
        let fleet = try Fleet(selection: selection, perConnection: perConnection)
        // A first collection up front: a missing namespace or a kernel without MPTCP is a
        // one-line error at start, not a silent `mptop_up 0` found days later.
        if case .allNamed = selection {} else {
            try await fleet.check()
        }
        if let textfile {
            try await TextfileMode.run(path: textfile, interval: interval ?? 15, fleet: fleet)
        } else {
            let (host, port) = try Self.parseListen(listen)
            try await MetricsServer.run(host: host, port: port, fleet: fleet)
        }
    }

    /// Errors as one line, `mptop-exporter: ...`, exit 2 for bad usage and 1 otherwise.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var async = command as? AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                // --help: a reader that went away is worth one line and a failure.
                do { try Console.out(fullMessage(for: error) + "\n") } catch {
                    Console.err("mptop-exporter: \(error)\n")
                    Glibc.exit(1)
                }
                Glibc.exit(0)
            }
            // mptop's own errors are said as they are; ArgumentParser's in its words (exit 2).
            let own = error is MPTopError || error is SystemCallError
            let message = own ? "\(error)" : message(for: error)
            Console.err("mptop-exporter: \(message.split(separator: "\n").first.map(String.init) ?? message)\n")
            Glibc.exit(own && !Self.isUsage(error) ? 1 : 2)
        }
    }

    static func isUsage(_ error: Error) -> Bool {
        switch error as? MPTopError {
        case .usage?, .invalidRequest?: return true
        default: return false
        }
    }
}
