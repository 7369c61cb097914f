import MPTCPKit
#if canImport(Glibc)
import Glibc
#endif

extension CommandLine {
    /// Runs mptop with `args` (without the program name) and returns the exit status.
    /// Every failure becomes one line on stderr: 2 for usage errors, 1 for everything else.
    static func run(_ args: [String]) -> Int32 {
        // --readonly may come before or after the action subcommand; they refuse under it.
        let readOnly = args.contains("--readonly") || args.contains("--read-only")
        let words = args.filter { $0 != "--readonly" && $0 != "--read-only" }
        do {
            switch words.first {
            case "close": return try CloseCommand.run(Array(words.dropFirst()), readOnly: readOnly)
            case "backup": return try BackupCommand.run(Array(words.dropFirst()), readOnly: readOnly)
            case "failover": return try FailoverCommand.run(Array(words.dropFirst()), readOnly: readOnly)
            default: break
            }
            switch args.first {
            case "traffic":
                return try TrafficCommand.run(Array(args.dropFirst()))
            case "demo":
                return try DemoCommand.run(Array(args.dropFirst()))
            case "capture":
                return try CaptureCommand.run(Array(args.dropFirst()))
            case "events":
                return try EventsCommand.run(Array(args.dropFirst()))
            case "diagnose":
                return try DiagnoseCommand.run(Array(args.dropFirst()))
            case "record":
                return try ArgumentParserBridge.run(RecordCommand.self, Array(args.dropFirst()))
            case "replay":
                return try ArgumentParserBridge.run(ReplayCommand.self, Array(args.dropFirst()))
            default:
                let options = try MonitorOptions.parse(args)
                if options.help { try Console.out(HelpText.main + "\n"); return 0 }
                if options.version { try Console.out(HelpText.version + "\n"); return 0 }
                // A bad --theme is reported whatever the output mode, before anything starts.
                if options.theme != nil { _ = try DashboardCommand.loadThemes(options) }
                if options.listThemes { return try DashboardCommand.run(options) }
                if options.wantsDashboard && isatty(1) != 0, try DashboardCommand.terminalCanDraw() {
                    return try DashboardCommand.run(options)
                }
                return try MonitorCommand.run(options)
            }
        } catch let e as Console.WriteError {
            // The report could not go out (reader gone, disk full, stdout closed); every
            // command has cleaned up on its way here. Said on stderr, which may still work.
            Console.err("mptop: \(e)\n")
            return 1
        } catch let e as MPTopError {
            Console.err("mptop: \(e.description.escapedForTerminal)\n")
            if case .usage = e { return 2 }
            return 1
        } catch {
            // Errors quote what they were given (names, paths, file and kernel text); an error
            // is one line, so every control character in it came from such a value.
            Console.err("mptop: \(String(describing: error).escapedForTerminal)\n")
            return 1
        }
    }
}
