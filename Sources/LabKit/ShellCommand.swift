import FoundationEssentials
import MPTCPKit
#if canImport(Glibc)
import Glibc
#endif

/// Runs short-lived host tools (`ip`, `tc`, `ss`, `mptop`) and captures what they print, on
/// MPTCPKit's ToolRunner (the one process runner: posix_spawn, system directories only), with
/// the lab's one-line `LabError`s.
public enum ShellCommand {
    /// What a finished command printed and how it ended (status: 128 + signal when a signal,
    /// or the timeout's SIGKILL, ended it).
    public typealias Output = ToolRunner.Output

    /// The absolute path of `tool` in the system directories (never `$PATH`), or nil.
    /// One search path for the whole project: MPTCPKit's ToolRunner owns it.
    public static func locate(_ tool: String) -> String? {
        ToolRunner.locate(tool)
    }

    /// The absolute path of `tool`, or a one-line error saying where it was looked for.
    public static func executable(_ tool: String) throws -> String {
        guard let path = locate(tool) else {
            throw LabError(.command, "cannot run '\(tool)': not found in \(ToolRunner.systemDirectories.joined(separator: ", "))")
        }
        return path
    }

    /// Runs `tool` with `arguments` and returns its output whatever the exit status.
    /// Throws only when the tool cannot be started. A command still running after `timeout`
    /// seconds is killed and reported with `timedOut`.
    public static func run(_ tool: String, _ arguments: [String], timeout: TimeInterval = 30) throws -> Output {
        let executable = try executable(tool)
        do {
            return try ToolRunner.run(executable, arguments, timeout: timeout)
        } catch {
            throw LabError(.command, "cannot run '\(describe(tool, arguments))': \(error)")
        }
    }

    /// Runs `tool` and returns its stdout; throws a one-line error naming the command and its
    /// stderr when it exits non-zero.
    @discardableResult
    public static func check(_ tool: String, _ arguments: [String], timeout: TimeInterval = 30) throws -> String {
        let output = try run(tool, arguments, timeout: timeout)
        if output.timedOut {
            throw LabError(.command, "'\(describe(tool, arguments))' timed out after \(Int(timeout)) s")
        }
        guard output.status == 0 else {
            let detail = LabError.oneLine(output.stderr.isEmpty ? output.stdout : output.stderr)
            throw LabError(.command, "'\(describe(tool, arguments))' failed (exit \(output.status))"
                + (detail.isEmpty ? "" : ": \(detail)"))
        }
        return output.stdout
    }

    /// The command as a person would type it.
    static func describe(_ tool: String, _ arguments: [String]) -> String {
        ([tool] + arguments).joined(separator: " ")
    }
}
