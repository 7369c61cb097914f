import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// A child started with posix_spawn: the one way the project starts programs. ToolRunner runs
/// short tools on it and LabKit's long-running lab processes start on it too (Foundation's
/// Process hung with tmux, and two runners had drifted apart in environment and signals).
///
/// The child gets the system directories as its `PATH`, default SIGPIPE/SIGINT/SIGTERM
/// dispositions, stdout and stderr on pipes and stdin on a pipe or /dev/null. The parent's ends
/// are close-on-exec, so a program started by another thread never inherits them.
public struct SpawnedProcess: Sendable {
    public let pid: pid_t
    /// The write end of the child's stdin, or nil when stdin is /dev/null. The caller closes it.
    public let stdin: FileDescriptor?
    /// The read ends of the child's stdout and stderr. The caller closes them.
    public let stdout: FileDescriptor
    public let stderr: FileDescriptor

    /// Starts `executable` (an absolute path) with `arguments`.
    public static func start(_ executable: String, _ arguments: [String], stdinPipe: Bool) throws -> SpawnedProcess {
        // Close-on-exec from the start (pipe2), not set afterwards: a program another thread
        // starts in between would inherit them.
        var pipes: [(readEnd: FileDescriptor, writeEnd: FileDescriptor)] = []
        do throws(Errno) {
            for _ in 0..<(stdinPipe ? 3 : 2) { pipes.append(try FileDescriptor.pipe(options: .closeOnExec)) }
        } catch {
            for p in pipes { try? p.readEnd.close(); try? p.writeEnd.close() }
            throw SystemCallError(.run, executable, error)
        }
        let outPipe = pipes[0], errPipe = pipes[1], inPipe = stdinPipe ? pipes[2] : nil
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let inPipe {
            posix_spawn_file_actions_adddup2(&actions, inPipe.readEnd.rawValue, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, outPipe.writeEnd.rawValue, 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe.writeEnd.rawValue, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // mptop ignores SIGPIPE and catches SIGINT/SIGTERM; the child gets the defaults back.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGPIPE, SIGINT, SIGTERM] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp: [UnsafeMutablePointer<CChar>?] = ToolRunner.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        // The child's ends go in the parent, or the readers never see end of file.
        for fd in [inPipe?.readEnd, outPipe.writeEnd, errPipe.writeEnd].compactMap({ $0 }) { try? fd.close() }
        guard rc == 0 else {
            for fd in [inPipe?.writeEnd, outPipe.readEnd, errPipe.readEnd].compactMap({ $0 }) { try? fd.close() }
            throw SystemCallError(.run, executable, Errno(rawValue: rc))
        }
        return SpawnedProcess(pid: pid, stdin: inPipe?.writeEnd, stdout: outPipe.readEnd, stderr: errPipe.readEnd)
    }

    /// Reaps the child if it ended (`block`: waits until it does); its wait status, nil while
    /// it runs or when it is not this process's child (any more). waitpid, wrapped once.
    public static func reap(_ pid: pid_t, block: Bool) -> Int32? {
        var status: Int32 = 0
        guard let reaped = try? retryingInterrupts({ waitpid(pid, &status, block ? 0 : WNOHANG) }), reaped == pid else { return nil }
        return status
    }

    /// A wait status as a shell reports it: the exit code, or 128 + the signal that ended it.
    public static func exitCode(fromWaitStatus status: Int32) -> Int32 {
        (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}
