import ArgumentParser
import Dashboard
import MPTCPKit
import Output
#if canImport(Glibc)
import Glibc
#endif

/// `mptop [OPTIONS]`: the dashboard at a terminal, text or JSON reports elsewhere; and the
/// subcommands. Every option is declared here or in a subcommand, once: help, usage errors,
/// completion scripts and the man page are generated from these declarations.
struct MptopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mptop",
        abstract: HelpText.abstract,
        discussion: HelpText.discussion,
        subcommands: [
            EventsCommand.self, DiagnoseCommand.self, RecordCommand.self, ReplayCommand.self, ReportCommand.self,
            DemoCommand.self, TrafficCommand.self, CaptureCommand.self, CloseCommand.self, BackupCommand.self,
            FailoverCommand.self,
        ])

    /// The root that parses `args`, and the words it parses. ArgumentParser lets a parent
    /// command's options stand anywhere, also after a subcommand's name, so `mptop diagnose
    /// --json` would set the dashboard's --json, not diagnose's. A subcommand is therefore
    /// parsed under a root without options (`Subcommands`) when its name is the first word, or
    /// comes after --readonly only: that --readonly is then the subcommand's own, moved after
    /// its name (`mptop --readonly close ...`). Everything else, help, completions and the man
    /// page's dump included, is parsed under this root.
    static func root(for args: [String]) -> (root: ParsableCommand.Type, args: [String]) {
        let leading = args.prefix { $0 == "--readonly" || $0 == "--read-only" }
        guard let name = args.dropFirst(leading.count).first,
              configuration.subcommands.contains(where: { $0._commandName == name }) else { return (MptopCommand.self, args) }
        return (Subcommands.self, [name] + leading + args.dropFirst(leading.count + 1))
    }

    /// `mptop --once close ...`: a subcommand's name after the dashboard's options, which that
    /// root parsed (and would have taken the subcommand's options for) is a stray word.
    static func strayCommandName(in args: [String], parsed command: ParsableCommand) -> String? {
        guard root(for: args).root == MptopCommand.self, !(command is MptopCommand), type(of: command)._commandName != "help" else { return nil }
        return args.first { word in configuration.subcommands.contains { $0._commandName == word } }
    }

    /// `mptop SUBCOMMAND ...`: the same subcommands, no options of its own.
    struct Subcommands: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "mptop", subcommands: MptopCommand.configuration.subcommands)
    }

    @OptionGroup(title: "Report options") var report: ReportOptions

    @OptionGroup var readOnly: ReadOnlyOption

    @OptionGroup(title: "Dashboard options") var display: DisplayOptions

    @Flag(name: .customLong("list-themes"), help: "List the themes found, with their files, and exit.")
    var listThemes = false

    @Flag(name: [.customShort("V"), .long], help: "Show the version.")
    var version = false

    func validate() throws {
        if report.once && report.count != nil { throw MPTopError.usage("--once and --count do not go together (--once is --count 1)") }
    }

    /// What the dashboard and the reports are given.
    var options: MonitorOptions {
        var o = MonitorOptions()
        o.once = report.once
        o.output = report.json ? .json : .table
        o.interval = report.interval
        o.count = report.count
        o.namespace = report.namespace.netns
        o.processes = !report.noProcesses
        o.listThemes = listThemes
        o.readOnly = readOnly.readOnly
        display.apply(to: &o)
        return o
    }

    func run() throws {
        if version { try Console.out(HelpText.version + "\n"); return }
        let options = options
        // A bad --theme is reported whatever the output mode, before anything starts.
        if options.theme != nil { _ = try DashboardCommand.loadThemes(options) }
        if options.listThemes { _ = try DashboardCommand.run(options); return }
        if options.wantsDashboard && isatty(1) != 0, try DashboardCommand.terminalCanDraw() {
            _ = try DashboardCommand.run(options)
            return
        }
        _ = try MonitorCommand.run(options)
    }
}

/// What is sampled and how it is printed when mptop is not the dashboard.
struct ReportOptions: ParsableArguments {
    @Flag(name: [.customShort("1"), .long],
          help: "Take one report and exit. Rates are measured over --interval (default 0.5 s here); --interval 0 reports without rates.")
    var once = false

    @Flag(name: [.customShort("j"), .long], help: "Print JSON instead of a table (fields: see README, \"JSON output\").")
    var json = false

    @Option(name: [.customShort("i"), .customShort("d"), .long], parsing: .unconditional,
            help: ArgumentHelp("Time between samples (default 1; 0 = back to back).", valueName: "SECS"),
            transform: ArgumentValue.seconds("--interval"))
    var interval: Double?

    @Option(name: [.customShort("c"), .long], parsing: .unconditional,
            help: ArgumentHelp("Stop after N samples.", valueName: "N"), transform: ArgumentValue.count("--count"))
    var count: Int?

    @OptionGroup var namespace: NamespaceOption

    @Flag(name: .customLong("no-processes"), help: "Do not look up owning processes (skips the scan of open descriptors).")
    var noProcesses = false
}

/// The dashboard's look, for `mptop` and `mptop demo` alike.
struct DisplayOptions: ParsableArguments {
    @Option(name: [.customShort("t"), .long], parsing: .unconditional,
            help: ArgumentHelp("Colour theme (default \"default\"; see --list-themes). A theme that cannot be read or parsed is an error naming the file and line.",
                               valueName: "NAME|PATH"),
            completion: .custom { _, _, _ in ThemeCatalog.standard(themesDirectory: nil).available().map(\.name) })
    var theme: String?

    @Option(name: .customLong("themes-dir"), parsing: .unconditional,
            help: ArgumentHelp("Look for themes in DIR first (then $XDG_CONFIG_HOME/mptop/themes, ~/.config/mptop/themes, then the installed themes: <prefix>/share/mptop/themes beside <prefix>/bin/mptop, or a checkout's Themes/).",
                               valueName: "DIR"),
            completion: .directory)
    var themesDirectory: String?

    @Flag(name: [.customLong("no-color"), .customLong("no-colour")], help: "No colours (also when NO_COLOR is set): attributes only.")
    var noColor = false

    @Option(name: .customLong("keep-closed"), parsing: .unconditional,
            help: ArgumentHelp("Keep closed connections and subflows on screen, dimmed, for SECS seconds (default 30).", valueName: "SECS"),
            transform: ArgumentValue.seconds("--keep-closed"))
    var keepClosed: Double?

    func apply(to o: inout MonitorOptions) {
        o.theme = theme
        o.themesDirectory = themesDirectory
        o.noColor = noColor
        o.keepClosed = keepClosed
    }
}
