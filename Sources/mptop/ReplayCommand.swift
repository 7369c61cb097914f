import ArgumentParser
import MPTCPKit
import Output

/// `mptop replay FILE`: the dashboard on a recording, or (--json) its samples as `mptop --json`
/// printed them. Needs neither root nor MPTCP.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Show a recording made by 'mptop record' in the dashboard, or print its samples as JSON.",
        discussion: """
        In the dashboard: p pauses, . steps one sample, [ and ] seek 10 s, { and } go to the start \
        and the end, + and - change the speed. Actions are refused: there is nothing live to act on. \
        --from and --to take seconds since the first sample.
        """)

    @Argument(help: ArgumentHelp("A recording made by 'mptop record'.", valueName: "FILE"))
    var file: String

    @Flag(name: [.customLong("json"), .customShort("j")], help: "Print the recorded samples as 'mptop --json' printed them, one per line.")
    var json = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Start this many seconds after the first sample.", valueName: "T"),
            transform: ArgumentValue.seconds("--from"))
    var from: Double?

    @Option(parsing: .unconditional, help: ArgumentHelp("End this many seconds after the first sample.", valueName: "T"),
            transform: ArgumentValue.seconds("--to"))
    var to: Double?

    @OptionGroup(title: "Dashboard options") var display: DisplayOptions

    func validate() throws {
        if let from, let to, to < from { throw ValidationError("--to is before --from") }
    }

    func run() throws {
        let reader = try RecordingReader(path: file)
        if json {
            _ = try RecordingJSON.print(reader, from: from, to: to)
            if let note = reader.truncation { Console.err("mptop: note: \(file.escapedForTerminal): \(note)\n") }
            return
        }
        var options = MonitorOptions()
        display.apply(to: &options)
        try ReplayDashboard.run(reader, options, from: from)
    }
}
