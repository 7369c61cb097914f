import ArgumentParser
import LabKit
import MPTCPKit
import Output

/// `mptop traffic serve|send`: the built-in MPTCP traffic generator. The receiver checks every
/// byte, so a lab run proves the data arrived intact, not just that bytes moved.
struct TrafficCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "traffic",
        abstract: "The built-in MPTCP traffic generator, with byte-exact verification.",
        // Written out, not built from Serve's and Send's `usageString()`: every mptop command
        // reads this configuration at start-up (to tell subcommands from options), and building
        // those strings was 15% of `mptop --version` in `perf` (6.2 → 5.9 ms wall without).
        // `TrafficGeneratorTests` checks that it says what the two subcommands' own help says.
        usage: """
        mptop traffic serve --listen <ADDR:PORT> [--progress <SECS>] [--json]
        mptop traffic send --to <ADDR:PORT> [--bytes <N>] [--seconds <S>] [--rate <BITS>] [--connections <N>] [--hold] [--json]
        """,
        discussion: """
        serve accepts any number of MPTCP connections and checks every byte against the \
        sender's pattern. send opens MPTCP connections and streams the pattern on each. With \
        --json both print one JSON object per line instead of text; byte counts include each \
        connection's 16-byte header, so they match the kernel's MPTCP byte counters.
        """,
        subcommands: [Serve.self, Send.self])

    func run() throws {
        throw MPTopError.usage("traffic needs 'serve' or 'send' (see 'mptop traffic --help')")
    }

    /// LabKit does not know MPTCPKit's error type; its one-line message and the
    /// usage-vs-failure distinction (for the exit status) are kept.
    static func mptopError(_ error: LabError) -> MPTopError {
        error.kind == .usage ? MPTopError.usage(error.message) : MPTopError.io(error.message)
    }

    static func labErrorsAsMPTopErrors<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as LabError { throw mptopError(error) }
    }

    @Sendable static func endpoint(_ text: String) throws -> TrafficEndpoint {
        try labErrorsAsMPTopErrors { try TrafficEndpoint(parsing: text) }
    }

    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Accept MPTCP connections and check every byte.",
            discussion: """
            Reports each connection as it ends and, on SIGTERM or Ctrl-C, the connections still \
            open and a summary. Exit status 1 if any data was corrupted. --json lines:
              {"event":"listening","address":...}
              {"event":"closed","peer":...,"bytes_received":N,"intact":bool}
              {"event":"progress","open":N,"bytes_received":N,"intact":bool}
              {"event":"summary","connections":N,"bytes_received":N,"intact":bool}
            A stream not intact adds "problem" (its first wrong byte's offset, the byte \
            expected and the byte received) to its closed line, and to progress and summary \
            with the connection's peer ("bad_offset" too in progress).
            """)

        @Option(parsing: .unconditional, help: ArgumentHelp("Address to listen on (IPv6 as [ADDR]:PORT; port 0 = any).", valueName: "ADDR:PORT"),
                transform: TrafficCommand.endpoint)
        var listen: TrafficEndpoint

        @Option(parsing: .unconditional, help: ArgumentHelp("Report live totals every SECS seconds (bytes so far, intact).", valueName: "SECS"),
                transform: ArgumentValue.seconds("--progress"))
        var progress: Double?

        @Flag(help: "One JSON object per line instead of text.")
        var json = false

        func validate() throws {
            if let progress, progress < 0.1 { throw MPTopError.usage("--progress takes at least 0.1 seconds") }
        }

        func run() throws {
            let summary = try TrafficCommand.labErrorsAsMPTopErrors {
                let stop = try StopSignal()
                stop.installSignalHandlers()
                let server = try TrafficServer(listen: listen)
                let writer = TrafficEventWriter(json: json)
                return try server.run(until: stop, progressEvery: progress) { try writer.emit($0) }
            }
            guard summary.intact else {
                Console.err("mptop: received data did not match what was sent (see the 'closed' lines)\n")
                throw ExitCode.failure
            }
        }
    }

    struct Send: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open MPTCP connections and stream the checked pattern.",
            discussion: """
            Streams on each connection until --bytes per connection were sent, --seconds passed, \
            or SIGTERM/Ctrl-C; with no limit it runs until stopped. After the last byte it waits \
            (up to 10 s) for the receiver to confirm. --json lines:
              {"event":"connected","connections":N}
              {"event":"done","bytes_sent":N}
            """)

        @Option(parsing: .unconditional, help: ArgumentHelp("Address to connect to.", valueName: "ADDR:PORT"),
                transform: TrafficCommand.endpoint)
        var to: TrafficEndpoint

        @Option(parsing: .unconditional,
                help: ArgumentHelp("Pattern bytes per connection (suffixes k M G = 1000s, Ki Mi Gi = 1024s).", valueName: "N"),
                transform: { try TrafficCommand.byteCount($0, flag: "--bytes") })
        var bytes: UInt64?

        @Option(parsing: .unconditional, help: ArgumentHelp("Send (or, with --hold, hold) for S seconds.", valueName: "S"),
                transform: ArgumentValue.seconds("--seconds"))
        var seconds: Double?

        @Option(parsing: .unconditional,
                help: ArgumentHelp("Total rate over all connections, bits per second (e.g. 20M, 500k).", valueName: "BITS"),
                transform: { try TrafficCommand.bitRate($0, flag: "--rate") })
        var rate: Double?

        @Option(parsing: .unconditional, help: ArgumentHelp("Connections to open (default 1, at most 1000000).", valueName: "N"),
                transform: ArgumentValue.count("--connections"))
        var connections: Int = 1

        @Flag(help: """
            Open the connections, send only each one's 16-byte header (MPTCP opens extra \
            subflows only after the first data), then stay idle.
            """)
        var hold = false

        @Flag(help: "One JSON object per line instead of text.")
        var json = false

        func validate() throws {
            guard connections <= 1_000_000 else { throw MPTopError.usage("--connections takes at most 1000000, not \(connections)") }
            if bytes != nil && seconds != nil { throw MPTopError.usage("use --bytes or --seconds, not both") }
            if hold && (bytes != nil || rate != nil) {
                throw MPTopError.usage("--hold keeps connections idle; it takes --seconds but not --bytes or --rate")
            }
        }

        func run() throws {
            try TrafficCommand.labErrorsAsMPTopErrors {
                let stop = try StopSignal()
                stop.installSignalHandlers()
                let options = TrafficClientOptions(target: to, connections: connections, bytesPerConnection: bytes,
                                                   seconds: seconds, rateBitsPerSecond: rate, hold: hold)
                let writer = TrafficEventWriter(json: json)
                try TrafficClient(options: options).run(until: stop) { try writer.emit($0) }
            }
        }
    }

    /// "1000000", "64Ki", "10M", "1GiB" -> bytes.
    static func byteCount(_ text: String, flag: String) throws -> UInt64 {
        let units: [(String, UInt64)] = [("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30),
                                         ("Ki", 1 << 10), ("Mi", 1 << 20), ("Gi", 1 << 30),
                                         ("KB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000),
                                         ("k", 1_000), ("K", 1_000), ("M", 1_000_000), ("G", 1_000_000_000), ("B", 1)]
        let (number, multiplier) = split(text, units: units)
        guard let value = UInt64(number), value.multipliedReportingOverflow(by: multiplier).overflow == false else {
            throw MPTopError.usage("\(flag) takes a byte count like 1000000, 64Ki or 10M, not '\(text)'")
        }
        return value * multiplier
    }

    /// "20000000", "20M", "20Mbit", "500k" -> bits per second.
    static func bitRate(_ text: String, flag: String) throws -> Double {
        var body = text
        for suffix in ["bit/s", "bps", "bit"] where body.hasSuffix(suffix) {
            body.removeLast(suffix.count)
            break
        }
        let units: [(String, UInt64)] = [("k", 1_000), ("K", 1_000), ("m", 1_000_000), ("M", 1_000_000),
                                         ("g", 1_000_000_000), ("G", 1_000_000_000)]
        let (number, multiplier) = split(body, units: units)
        guard let value = Double(number), value.isFinite, value > 0 else {
            throw MPTopError.usage("\(flag) takes bits per second like 20000000, 20M or 500k, not '\(text)'")
        }
        return value * Double(multiplier)
    }

    /// Splits a trailing unit off `text`: ("10", 1000000) for "10M".
    private static func split(_ text: String, units: [(String, UInt64)]) -> (String, UInt64) {
        for (suffix, multiplier) in units where text.hasSuffix(suffix) && text.count > suffix.count {
            return (String(text.dropLast(suffix.count)), multiplier)
        }
        return (text, 1)
    }
}
