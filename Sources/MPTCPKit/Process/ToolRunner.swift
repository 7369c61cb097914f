import SystemPackage
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
        let child = try SpawnedProcess.start(executable, arguments, stdinPipe: !input.isEmpty)
        return collect(child, input: Array(input.utf8), timeout: timeout)
    }

    /// A process a tool left behind (`sh -c 'x &'`) can hold the pipes open after the tool
    /// exited: its output is read for this long more, then the tool's own status is returned.
    static let afterExitNanos: UInt64 = 2_000_000_000

    /// Feeds `input` to the tool's stdin and reads both pipes until they close, the tool is
    /// reaped and `afterExitNanos` passed, or the deadline passes (then the tool is killed);
    /// returns once the tool is reaped. Input is written as the pipe takes it, between reads: a
    /// tool that prints while it reads (nft echoing a large ruleset) cannot deadlock with us.
    private static func collect(_ child: SpawnedProcess, input: [UInt8], timeout: Double) -> Output {
        let pid = child.pid, outFD = child.stdout, errFD = child.stderr
        var inFD = child.stdin
        if let inFD { _ = fcntl(inFD.rawValue, F_SETFL, fcntl(inFD.rawValue, F_GETFL) | O_NONBLOCK) }
        var written = 0
        var out = [UInt8](), err = [UInt8]()
        var open = [outFD.rawValue: true, errFD.rawValue: true]
        let deadline = Clock.system.monotonicNanos() + UInt64(timeout * 1e9)
        var buffer = [UInt8](repeating: 0, count: 4096)
        var status: Int32 = 0
        var exitedAt: UInt64?
        var timedOut = false
        func closeInput() { try? inFD?.close(); inFD = nil }
        while open.values.contains(true) {
            let now = Clock.system.monotonicNanos()
            if exitedAt == nil, let reaped = SpawnedProcess.reap(pid, block: false) { status = reaped; exitedAt = now; closeInput() }
            if let exitedAt, now &- exitedAt >= afterExitNanos { break }
            if exitedAt == nil, now >= deadline { kill(pid, SIGKILL); timedOut = true; break }
            // Woken at least every 50 ms while the tool runs, to notice it exited with the pipes
            // still held; a tool that closes them ends the loop at once.
            let until = exitedAt.map { $0 + afterExitNanos } ?? deadline
            let wait = min(exitedAt == nil ? 50 : 1000, (until &- now) / 1_000_000 + 1)
            var fds = open.filter(\.value).map { pollfd(fd: $0.key, events: Int16(POLLIN), revents: 0) }
            if let inFD { fds.append(Poll.entry(inFD, POLLOUT)) }
            guard (try? Poll.wait(&fds, milliseconds: Int32(wait))) != nil else { break }
            for p in fds where p.revents != 0 {
                if let stdin = inFD, p.fd == stdin.rawValue {
                    // POLLERR/POLLHUP without POLLOUT: the tool closed its stdin; what it did not
                    // read is its business.
                    guard p.revents & Int16(POLLOUT) != 0 else { closeInput(); continue }
                    do {
                        written += try input.withUnsafeBytes { try stdin.write(UnsafeRawBufferPointer(rebasing: $0[written...])) }
                    } catch Errno.wouldBlock {
                        continue
                    } catch {
                        closeInput(); continue
                    }
                    if written == input.count { closeInput() }
                    continue
                }
                let from = p.fd == outFD.rawValue ? outFD : errFD
                guard let n = try? buffer.withUnsafeMutableBytes({ try from.read(into: $0) }), n > 0 else { open[p.fd] = false; continue }
                if from == outFD { out += buffer[0..<n] } else { err += buffer[0..<n] }
            }
        }
        closeInput()
        try? outFD.close(); try? errFD.close()
        if exitedAt == nil, let reaped = SpawnedProcess.reap(pid, block: true) { status = reaped }
        return Output(status: SpawnedProcess.exitCode(fromWaitStatus: status), stdout: String(decoding: out, as: UTF8.self),
                      stderr: String(decoding: err, as: UTF8.self), timedOut: timedOut)
    }
}
