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
    public let stdin: Int32?
    /// The read ends of the child's stdout and stderr. The caller closes them.
    public let stdout: Int32
    public let stderr: Int32

    /// Starts `executable` (an absolute path) with `arguments`.
    public static func start(_ executable: String, _ arguments: [String], stdinPipe: Bool) throws -> SpawnedProcess {
        var inPipe: [Int32] = [-1, -1], outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
        func closeAll() { for fd in inPipe + outPipe + errPipe where fd >= 0 { close(fd) } }
        guard (!stdinPipe || pipe(&inPipe) == 0), pipe(&outPipe) == 0, pipe(&errPipe) == 0 else {
            let e = errno
            closeAll()
            throw MPTopError.io("cannot run \(executable): \(MPTopError.errnoText(e))")
        }
        for fd in inPipe + outPipe + errPipe where fd >= 0 { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if stdinPipe {
            posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
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
        for fd in [inPipe[0], outPipe[1], errPipe[1]] where fd >= 0 { close(fd) }
        guard rc == 0 else {
            for fd in [inPipe[1], outPipe[0], errPipe[0]] where fd >= 0 { close(fd) }
            throw MPTopError.io("cannot run \(executable): \(MPTopError.errnoText(rc))")
        }
        return SpawnedProcess(pid: pid, stdin: stdinPipe ? inPipe[1] : nil, stdout: outPipe[0], stderr: errPipe[0])
    }

    /// A wait status as a shell reports it: the exit code, or 128 + the signal that ended it.
    public static func exitCode(fromWaitStatus status: Int32) -> Int32 {
        (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}
