import FoundationEssentials
import Synchronization
import MPTCPKit
#if canImport(Glibc)
import Glibc
#endif

/// A long-running program the lab started inside one of its namespaces (a traffic server or
/// sender). Its stdout and stderr are captured for as long as it runs and stay readable after.
public final class LabProcess: @unchecked Sendable {
    /// The process id. `ip netns exec` execs the program in place, so this is the program's pid.
    public let pid: Int32
    /// The command line, for messages.
    public let commandLine: String
    private let stdoutCollector: OutputCollector
    private let stderrCollector: OutputCollector
    /// The wait status once the process was reaped; guarded by `lock`. Reaped once, so a
    /// signal is never sent to a pid the system has given to someone else since.
    private var waitStatus: Int32?
    private let lock = Mutex(())

    /// Starts `executable` with stdout and stderr collected in the background and stdin from
    /// /dev/null, on the project's one process starter (SpawnedProcess).
    init(executable: String, arguments: [String]) throws {
        commandLine = ShellCommand.describe(executable, arguments)
        let child: SpawnedProcess
        do {
            child = try SpawnedProcess.start(executable, arguments, stdinPipe: false)
        } catch {
            throw LabError(.command, "cannot run '\(commandLine)': \(error)")
        }
        pid = child.pid
        stdoutCollector = OutputCollector(fd: child.stdout)
        stderrCollector = OutputCollector(fd: child.stderr)
    }

    /// The wait status, reaping the process if it ended; nil while it runs.
    private func reaped() -> Int32? {
        lock.withLock { _ in
            if waitStatus == nil {
                waitStatus = SpawnedProcess.reap(pid, block: false)
            }
            return waitStatus
        }
    }

    /// Exit status, stderr and the tail of stdout in one line, for error messages.
    public var diagnosis: String {
        let err = errorOutput.split(separator: "\n").filter { !$0.contains("cgroup2") }.joined(separator: "; ")
        let status = exitStatus.map { "exit \($0)" } ?? "still running"
        return "\(status); stderr: \(err.isEmpty ? "(empty)" : err); stdout: \(output.suffix(300))"
    }

    /// Everything the process printed on stdout so far.
    public var output: String { stdoutCollector.text }

    /// Everything the process printed on stderr so far.
    public var errorOutput: String { stderrCollector.text }

    /// The complete stdout lines printed so far (a line still being written is left out).
    public var lines: [String] { LabProcess.completeLines(output) }

    /// The newest complete stdout line containing `text`, found from the end, so a long-running
    /// process's growing output is not split up on every call.
    public func lastLine(containing text: String) -> String? {
        let all = output
        guard let end = all.lastIndex(of: "\n") else { return nil }
        var lineEnd = end
        while true {
            let start = all[..<lineEnd].lastIndex(of: "\n").map { all.index(after: $0) } ?? all.startIndex
            let line = all[start..<lineEnd]
            if line.contains(text) { return String(line) }
            guard start > all.startIndex else { return nil }
            lineEnd = all.index(before: start)
        }
    }

    /// Whether the process is still running.
    public var isRunning: Bool { reaped() == nil }

    /// The exit status once the process ended (128 + signal when a signal ended it), else nil.
    public var exitStatus: Int32? { reaped().map(SpawnedProcess.exitCode(fromWaitStatus:)) }

    /// Waits up to `timeout` seconds for a complete stdout line containing `text` and returns
    /// the first such line, or nil when the process ended or time ran out first.
    public func waitForLine(containing text: String, timeout: TimeInterval) -> String? {
        let deadline = Date(timeIntervalSinceNow: timeout)
        let found = stdoutCollector.wait(before: deadline) { output in
            LabProcess.completeLines(output).contains { $0.contains(text) }
        }
        return LabProcess.completeLines(found).first { $0.contains(text) }
    }

    /// Waits up to `timeout` seconds for the process to end and for its output to be read.
    /// Returns the exit status, or nil when it is still running.
    @discardableResult
    public func waitForExit(timeout: TimeInterval) -> Int32? {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while isRunning {
            if Date() >= deadline { return nil }
            usleep(5_000)
        }
        stdoutCollector.waitUntilFinished(before: Date(timeIntervalSinceNow: 1))
        stderrCollector.waitUntilFinished(before: Date(timeIntervalSinceNow: 1))
        return exitStatus
    }

    /// Sends `signal` (e.g. SIGTERM) if the process is still running.
    public func send(signal: Int32) {
        // Under the lock, so the process cannot be reaped (and its pid reused) in between.
        lock.withLock { _ in
            if waitStatus == nil { kill(pid, signal) }
        }
    }

    /// Asks the process to finish (SIGTERM) and waits up to `timeout` seconds; kills it
    /// (SIGKILL) if it does not. Returns the exit status.
    @discardableResult
    public func stop(timeout: TimeInterval = 5) -> Int32? {
        send(signal: SIGTERM)
        if let status = waitForExit(timeout: timeout) { return status }
        send(signal: SIGKILL)
        return waitForExit(timeout: 2)
    }

    static func completeLines(_ text: String) -> [String] {
        var parts = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // The piece after the last newline is either empty or a line still being written.
        parts.removeLast()
        return parts.filter { !$0.isEmpty }
    }
}
