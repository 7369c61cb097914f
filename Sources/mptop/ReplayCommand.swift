import ArgumentParser
import MPTCPKit

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

    @Option(help: ArgumentHelp("Start this many seconds after the first sample.", valueName: "T"))
    var from: Double?

    @Option(help: ArgumentHelp("End this many seconds after the first sample.", valueName: "T"))
    var to: Double?

    @Option(name: [.customLong("theme"), .customShort("t")], help: ArgumentHelp("Colour theme (name or path).", valueName: "NAME"))
    var theme: String?

    @Flag(name: [.customLong("no-color"), .customLong("no-colour")], help: "No colours.")
    var noColor = false

    func validate() throws {
        for (name, value) in [("--from", from), ("--to", to)] {
            if let value { guard value.isFinite, value >= 0 else { throw ValidationError("\(name) takes seconds since the first sample, 0 or more") } }
        }
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
        options.theme = theme
        options.noColor = noColor
        try ReplayDashboard.run(reader, options, from: from)
    }
}
