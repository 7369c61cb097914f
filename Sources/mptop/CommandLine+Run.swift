import ArgumentParser
import MPTCPKit
import Output
#if canImport(Glibc)
import Glibc
#endif

extension CommandLine {
    /// Runs mptop with `args` (without the program name) and returns the exit status.
    /// Every failure becomes one line on stderr: 2 for usage errors (the command line's, and a
    /// request the library found invalid), 1 for everything else. Library errors carry what
    /// happened (an `Errno`, the path); the line and the status are decided here, once.
    static func run(_ args: [String]) -> Int32 {
        let (root, words) = MptopCommand.root(for: args)
        var command: ParsableCommand
        do {
            command = try root.parseAsRoot(words)
        } catch {
            return reportParseOutcome(error, words, root)
        }
        if let stray = MptopCommand.strayCommandName(in: args, parsed: command) {
            Console.err("mptop: unexpected argument '\(stray)' (see 'mptop --help')\n")
            return 2
        }
        do {
            try command.run()
            return 0
        } catch let e as ExitCode {
            // A command that said what it had to and ends with a status of its own
            // (the traffic server's corrupted data, the demo's damaged bytes).
            return e.rawValue
        } catch let e as Console.WriteError {
            // The report could not go out (reader gone, disk full, stdout closed); every
            // command has cleaned up on its way here. Said on stderr, which may still work.
            Console.err("mptop: \(e)\n")
            return 1
        } catch let e as MPTopError {
            Console.err("mptop: \(e.description.escapedForTerminal)\n")
            switch e {
            case .usage, .invalidRequest: return 2
            default: return 1
            }
        } catch where root.exitCode(for: error) == .success {
            // ArgumentParser's own commands and exits: `mptop help close` shows help from run().
            return reportParseOutcome(error, words, root)
        } catch {
            // SystemCallError, the readers' errors, LabError...: exit 1. Errors quote what they
            // were given (names, paths, file and kernel text); an error is one line, so every
            // control character in it came from such a value.
            Console.err("mptop: \(String(describing: error).escapedForTerminal)\n")
            return 1
        }
    }

    /// What ArgumentParser stopped parsing for: help, a completion script or the help dump
    /// go to stdout (exit 0); anything else is a usage error, one line, exit 2.
    private static func reportParseOutcome(_ error: Error, _ args: [String], _ root: ParsableCommand.Type) -> Int32 {
        guard root.exitCode(for: error) == .success else {
            Console.err("mptop: \(UsageErrorLine.text(for: error, root: root, arguments: args))\n")
            return 2
        }
        do {
            // A fixed width: the help reads the same on every terminal, in the man page's
            // source and in the recorded snapshots.
            try Console.out(root.fullMessage(for: error, columns: HelpText.columns) + "\n")
            return 0
        } catch {
            Console.err("mptop: \(error)\n")
            return 1
        }
    }
}
