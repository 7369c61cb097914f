import ArgumentParser
import MPTCPKit
import Output

/// `mptop record FILE`: samples, events, counters and the path-manager setup into a recording
/// (docs/recording.md) until --duration is up or Ctrl-C.
struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record samples, path-manager events, MIB counters and the path-manager setup into FILE.",
        discussion: """
        Each sample is written as it is taken, so a recording that is killed still replays up to \
        its last complete sample. Events need CAP_NET_ADMIN (without it the recording has none, \
        and says so). Replay with 'mptop replay FILE' on any machine, without root or MPTCP.
        """)

    @Argument(help: ArgumentHelp("The recording to create (an existing file is not overwritten).", valueName: "FILE"))
    var file: String

    @Option(name: [.customLong("interval"), .customShort("i")], parsing: .unconditional,
            help: ArgumentHelp("Seconds between samples (default 1).", valueName: "S"))
    var intervalOption: Double?
    var interval: Double { intervalOption ?? 1 }

    @Option(parsing: .unconditional, help: ArgumentHelp("Stop after this many seconds (default: until Ctrl-C).", valueName: "S"))
    var duration: Double?

    @OptionGroup var namespace: NamespaceOption
    var netns: String? { namespace.netns }

    @Flag(help: "Also print each sample as 'mptop --json' does.")
    var json = false

    @Flag(help: "Do not look up the process that owns each connection.")
    var noProcesses = false

    func validate() throws {
        guard interval.isFinite, interval >= 0.1, interval <= 3600 else { throw ValidationError("--interval takes seconds from 0.1 to 3600") }
        if let duration { guard duration.isFinite, duration > 0, duration <= 30 * 86_400 else { throw ValidationError("--duration takes seconds above 0") } }
    }

    func run() throws {
        // A recorder only watches: what a killed failover test left is named, and put back by
        // the next mptop that may change things.
        try JournalRecovery.atStart(readOnly: true) { Console.err($0 + "\n") }
        if let netns { try NetworkNamespace.enter(netns) }
        var options = RecordingSession.Options()
        options.interval = interval
        options.duration = duration
        options.namespace = netns
        options.processes = !noProcesses
        let stop = try StopSignal()
        stop.installSignalHandlers()
        let session = try RecordingSession(path: file, writerName: HelpText.version, options: options)
        if let why = session.eventsUnavailable { Console.err("mptop: note: recording without path-manager events: \(why)\n") }
        do {
            var buffer: [UInt8] = []
            let summary = try session.run(stop: stop) { snapshot in
                if json { try SnapshotJSON.printLine(snapshot, buffer: &buffer) }
            }
            Console.err("mptop: " + summary.text + "\n")
        } catch {
            Console.err("mptop: " + session.summary.text + "\n")
            throw error
        }
    }
}
