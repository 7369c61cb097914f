import ArgumentParser
import MPTCPKit

/// Runs a swift-argument-parser subcommand from today's dispatcher (CommandLine+Run.swift):
/// --help prints its help, a usage error is one line (`mptop: ...`, exit 2) like every other.
enum ArgumentParserBridge {
    static func run<C: ParsableCommand>(_ type: C.Type, _ args: [String]) throws -> Int32 {
        var command: C
        do {
            command = try C.parse(args)
        } catch {
            if C.exitCode(for: error) == .success {
                try Console.out(C.fullMessage(for: error) + "\n")
                return 0
            }
            let message = C.message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
            throw MPTopError.usage(message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message)
        }
        do {
            try command.run()
        } catch let code as ExitCode {
            return code.rawValue
        }
        return 0
    }
}
