import LabKit
import MPTCPKit

/// `mptop traffic serve|send`: the built-in MPTCP traffic generator. The receiver checks every
/// byte, so a lab run proves the data arrived intact, not just that bytes moved.
enum TrafficCommand {
    static let help = """
    mptop traffic: MPTCP traffic generator with byte-exact verification.

    USAGE
      mptop traffic serve --listen ADDR:PORT [--progress SECS] [--json]
      mptop traffic send --to ADDR:PORT [--bytes N | --seconds S] [--rate BITS]
                         [--connections N] [--hold] [--json]

    serve accepts any number of MPTCP connections and checks every byte against the
    sender's pattern. It reports each connection as it ends and, on SIGTERM or Ctrl-C,
    the connections still open and a summary. Exit status 1 if any data was corrupted.

    send opens N MPTCP connections and streams the pattern on each until --bytes per
    connection were sent, --seconds passed, or SIGTERM/Ctrl-C. With no limit it runs until
    stopped. After the last byte it waits (up to 10 s) for the receiver to confirm.

    OPTIONS
      --listen ADDR:PORT    address to listen on (IPv6 as [ADDR]:PORT; port 0 = any).
      --progress SECS       serve: report live totals every SECS seconds (bytes so far, intact).
      --to ADDR:PORT        address to connect to.
      --bytes N             pattern bytes per connection (suffixes k M G = 1000s, Ki Mi Gi = 1024s).
      --seconds S           send (or, with --hold, hold) for S seconds.
      --rate BITS           total rate over all connections, bits per second (e.g. 20M, 500k).
      --connections N       connections to open (default 1).
      --hold                open the connections, send only each one's 16-byte header (MPTCP
                            opens extra subflows only after the first data), then stay idle.
      --json                one JSON object per line instead of text:
                              serve: {"event":"listening","address":...}
                                     {"event":"closed","peer":...,"bytes_received":N,"intact":bool}
                                     {"event":"progress","open":N,"bytes_received":N,"intact":bool}
                                     {"event":"summary","connections":N,"bytes_received":N,"intact":bool}
                              send:  {"event":"connected","connections":N}
                                     {"event":"done","bytes_sent":N}
                            Byte counts include each connection's 16-byte header, so they
                            match the kernel's MPTCP byte counters.
      -h, --help            show this help.
    """

    static func run(_ args: [String]) throws -> Int32 {
        do {
            switch args.first {
            case "serve":
                return try serve(Array(args.dropFirst()))
            case "send":
                return try send(Array(args.dropFirst()))
            case "-h", "--help", "help":
                try Console.out(help + "\n")
                return 0
            case nil:
                throw MPTopError.usage("traffic needs 'serve' or 'send' (see 'mptop traffic --help')")
            case let word?:
                throw MPTopError.usage("unknown traffic command '\(word)' (see 'mptop traffic --help')")
            }
        } catch let error as LabError {
            // LabKit does not know MPTCPKit's error type; keep the one-line message and the
            // usage-vs-failure distinction for the exit status.
            throw error.kind == .usage ? MPTopError.usage(error.message) : MPTopError.io(error.message)
        }
    }

    private static func serve(_ args: [String]) throws -> Int32 {
        var scanner = ArgumentScanner(args)
        var listen: TrafficEndpoint?
        var json = false
        var progress: Double?
        while let word = scanner.next() {
            switch word {
            case "--listen": listen = try TrafficEndpoint(parsing: scanner.value(for: word))
            case "--progress":
                let every = try scanner.seconds(for: word)
                guard every >= 0.1 else { throw MPTopError.usage("--progress takes at least 0.1 seconds") }
                progress = every
            case "--json": json = true
            case "-h", "--help": try Console.out(help + "\n"); return 0
            default: throw ArgumentScanner.unknown(word, in: "mptop traffic")
            }
        }
        guard let listen else {
            throw MPTopError.usage("traffic serve needs --listen ADDR:PORT (see 'mptop traffic --help')")
        }
        let stop = try StopSignal()
        stop.installSignalHandlers()
        let server = try TrafficServer(listen: listen)
        let writer = TrafficEventWriter(json: json)
        let summary = try server.run(until: stop, progressEvery: progress) { try writer.emit($0) }
        guard summary.intact else {
            Console.err("mptop: received data did not match what was sent (see the 'closed' lines)\n")
            return 1
        }
        return 0
    }

    private static func send(_ args: [String]) throws -> Int32 {
        var scanner = ArgumentScanner(args)
        var target: TrafficEndpoint?
        var bytes: UInt64?, seconds: Double?, rate: Double?
        var connections = 1
        var hold = false, json = false
        while let word = scanner.next() {
            switch word {
            case "--to": target = try TrafficEndpoint(parsing: scanner.value(for: word))
            case "--bytes": bytes = try byteCount(scanner.value(for: word), flag: word)
            case "--seconds": seconds = try scanner.seconds(for: word)
            case "--rate": rate = try bitRate(scanner.value(for: word), flag: word)
            case "--connections":
                connections = try scanner.count(for: word)
                guard connections <= 1_000_000 else {
                    throw MPTopError.usage("--connections takes at most 1000000, not \(connections)")
                }
            case "--hold": hold = true
            case "--json": json = true
            case "-h", "--help": try Console.out(help + "\n"); return 0
            default: throw ArgumentScanner.unknown(word, in: "mptop traffic")
            }
        }
        guard let target else {
            throw MPTopError.usage("traffic send needs --to ADDR:PORT (see 'mptop traffic --help')")
        }
        if bytes != nil && seconds != nil {
            throw MPTopError.usage("use --bytes or --seconds, not both")
        }
        if hold && (bytes != nil || rate != nil) {
            throw MPTopError.usage("--hold keeps connections idle; it takes --seconds but not --bytes or --rate")
        }
        let stop = try StopSignal()
        stop.installSignalHandlers()
        let options = TrafficClientOptions(target: target, connections: connections, bytesPerConnection: bytes,
                                           seconds: seconds, rateBitsPerSecond: rate, hold: hold)
        let writer = TrafficEventWriter(json: json)
        try TrafficClient(options: options).run(until: stop) { try writer.emit($0) }
        return 0
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
