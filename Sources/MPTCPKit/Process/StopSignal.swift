import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// The write end of the pipe the signal handler writes to. A C signal handler cannot capture
/// context, so it has to be a global; it is written once, before the handler is installed.
nonisolated(unsafe) private var signalPipeWriteEnd: Int32 = -1

/// A "please stop" flag a poll loop can wait on: a pipe that becomes readable once `stop()` is
/// called or SIGTERM/SIGINT/SIGHUP arrives (the self-pipe trick, which is safe from any thread and
/// from a signal handler).
public final class StopSignal: @unchecked Sendable {
    /// The descriptor to poll for POLLIN.
    public let readEnd: Int32
    private let writeEnd: Int32

    public init() throws {
        // Non-blocking: a full pipe must not block stop() or the signal handler.
        let ends: (readEnd: FileDescriptor, writeEnd: FileDescriptor)
        do { ends = try FileDescriptor.pipe(options: [.nonBlocking, .closeOnExec]) } catch {
            throw SystemCallError(.create, "a pipe", error)
        }
        readEnd = ends.readEnd.rawValue
        writeEnd = ends.writeEnd.rawValue
    }

    deinit {
        try? FileDescriptor(rawValue: readEnd).close()
        try? FileDescriptor(rawValue: writeEnd).close()
    }

    /// Requests a stop. Safe from any thread.
    public func stop() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    /// Whether a stop was requested.
    public var isStopped: Bool {
        var fds = [pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)]
        return ((try? Poll.wait(&fds, milliseconds: 0)) ?? 0) > 0
    }

    /// Makes SIGTERM, SIGINT and SIGHUP request a stop instead of killing the process, and
    /// ignores SIGPIPE (a peer that goes away must become an error, not a silent death). SIGHUP
    /// is what a closed terminal window or ssh session sends: by default it kills at once, and
    /// the demo's namespaces or a failover test's changes would stay behind. Only one
    /// StopSignal per process should do this.
    public func installSignalHandlers() {
        signalPipeWriteEnd = writeEnd
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            var byte: UInt8 = 1
            _ = write(signalPipeWriteEnd, &byte, 1)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGTERM, &action, nil)
        sigaction(SIGINT, &action, nil)
        sigaction(SIGHUP, &action, nil)
        signal(SIGPIPE, SIG_IGN)
    }
}
