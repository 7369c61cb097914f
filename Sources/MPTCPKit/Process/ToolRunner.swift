#if canImport(Glibc)
import Glibc
#endif

/// Runs a short-lived system tool (`nft`, `ip`) and captures what it printed, without
/// Foundation: MPTCPKit stays a kernel-side library. LabKit's ShellCommand runs on it, so there
/// is one process runner and one search path for tools in the project (posix_spawn + waitpid:
/// Foundation's Process hung with tmux).
public enum ToolRunner {
    public struct Output: Sendable {
        /// Exit status, or 128 + signal when a signal (or the timeout's SIGKILL) ended it.
        public let status: Int32
        public let stdout: String
        public let stderr: String
        /// Whether the tool was killed because it ran past its timeout.
        public let timedOut: Bool
    }

    /// Where tools are looked for, in order: the system's directories only, never `$PATH`.
    /// mptop runs as root, and a `$PATH` it inherits may name a user's directory or `.`
    /// (`PATH=.:/usr/bin` made `./nft` run as root). Packaged tools first, then /usr/local.
    public static let systemDirectories = ["/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin"]

    /// The absolute path of `tool` in `systemDirectories`, or nil when it is not installed.
    /// An absolute path is taken as given; a relative one with a '/' (`./nft`) is refused.
    public static func locate(_ tool: String) -> String? {
        if tool.hasPrefix("/") { return access(tool, X_OK) == 0 ? tool : nil }
        guard !tool.isEmpty, !tool.contains("/") else { return nil }
        for directory in systemDirectories {
            let candidate = directory + "/" + tool
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// Variables that make a tool run programs or options of the caller's choosing, and that no
    /// tool mptop runs needs: `TAR_OPTIONS` is read by tar before its own arguments
    /// (`--use-compress-program`, `--to-command`), so root's archive step would run them.
    static let dropped: Set<String> = ["TAR_OPTIONS"]

    /// The environment a tool is started with: mptop's own, with `PATH` replaced by the system
    /// directories, so a tool that runs another by name (`ip netns exec NS nft`, tar its
    /// `gzip`) finds the same one `locate` would, and without the `dropped` variables.
    public static var environment: [String: String] {
        var out: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let text = String(cString: entry)
            if let eq = text.firstIndex(of: "="), !dropped.contains(String(text[..<eq])) {
                out[String(text[..<eq])] = String(text[text.index(after: eq)...])
            }
            p += 1
        }
        out["PATH"] = systemDirectories.joined(separator: ":")
        return out
    }

    /// Runs `executable` (an absolute path) with `arguments`, feeding `input` on stdin. A run
    /// longer than `timeout` seconds is killed. Throws only when the process cannot start.
    public static func run(_ executable: String, _ arguments: [String], input: String = "", timeout: Double = 10) throws -> Output {
        var inPipe: [Int32] = [-1, -1], outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
        guard pipe(&inPipe) == 0, pipe(&outPipe) == 0, pipe(&errPipe) == 0 else {
            throw MPTopError.io("cannot run \(executable): \(MPTopError.errnoText(errno))")
        }
        // Close-on-exec in the parent, so a tool started by another thread never inherits them.
        for fd in inPipe + outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // mptop ignores SIGPIPE and catches SIGINT/SIGTERM; the tool gets the defaults back.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGPIPE, SIGINT, SIGTERM] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        close(inPipe[0]); close(outPipe[1]); close(errPipe[1])
        guard rc == 0 else {
            close(inPipe[1]); close(outPipe[0]); close(errPipe[0])
            throw MPTopError.io("cannot run \(executable): \(MPTopError.errnoText(rc))")
        }
        var bytes = Array(input.utf8)
        bytes.withUnsafeMutableBytes { buf in
            var off = 0
            while off < buf.count {
                let n = write(inPipe[1], buf.baseAddress! + off, buf.count - off)
                if n < 0 { if errno == EINTR { continue }; break }
                off += n
            }
        }
        close(inPipe[1])
        return collect(outPipe[0], errPipe[0], pid: pid, timeout: timeout)
    }

    /// A process a tool left behind (`sh -c 'x &'`) can hold the pipes open after the tool
    /// exited: its output is read for this long more, then the tool's own status is returned.
    static let afterExitNanos: UInt64 = 2_000_000_000

    /// Reads both pipes until they close, the tool is reaped and `afterExitNanos` passed, or the
    /// deadline passes (then the tool is killed); returns once the tool is reaped.
    private static func collect(_ outFD: Int32, _ errFD: Int32, pid: pid_t, timeout: Double) -> Output {
        var out = [UInt8](), err = [UInt8]()
        var open = [outFD: true, errFD: true]
        let deadline = Clock.system.monotonicNanos() + UInt64(timeout * 1e9)
        var buffer = [UInt8](repeating: 0, count: 4096)
        var status: Int32 = 0
        var exitedAt: UInt64?
        var timedOut = false
        while open.values.contains(true) {
            let now = Clock.system.monotonicNanos()
            if exitedAt == nil, waitpid(pid, &status, WNOHANG) == pid { exitedAt = now }
            if let exitedAt, now &- exitedAt >= afterExitNanos { break }
            if exitedAt == nil, now >= deadline { kill(pid, SIGKILL); timedOut = true; break }
            // Woken at least every 50 ms while the tool runs, to notice it exited with the pipes
            // still held; a tool that closes them ends the loop at once.
            let until = exitedAt.map { $0 + afterExitNanos } ?? deadline
            let wait = min(exitedAt == nil ? 50 : 1000, (until &- now) / 1_000_000 + 1)
            var fds = open.filter(\.value).map { pollfd(fd: $0.key, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&fds, nfds_t(fds.count), Int32(wait))
            if ready < 0 && errno != EINTR { break }
            for p in fds where p.revents != 0 {
                let n = read(p.fd, &buffer, buffer.count)
                if n <= 0 { open[p.fd] = false; continue }
                if p.fd == outFD { out += buffer[0..<n] } else { err += buffer[0..<n] }
            }
        }
        close(outFD); close(errFD)
        if exitedAt == nil { while waitpid(pid, &status, 0) < 0 && errno == EINTR {} }
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Output(status: code, stdout: String(decoding: out, as: UTF8.self),
                      stderr: String(decoding: err, as: UTF8.self), timedOut: timedOut)
    }
}
