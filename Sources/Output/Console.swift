import SystemPackage
#if canImport(Glibc)
import Glibc
#endif
import MPTCPKit

/// Writes whole strings to stdout/stderr with write(2): one system call per report, no stdio
/// buffering to flush, and no shared C globals for Swift 6 to worry about.
///
/// A report that cannot be written (the reader of the pipe is gone, the disk is full, stdout is
/// closed) is an error the command sees: mptop ignores SIGPIPE, so without it a command would
/// keep sampling, and the demo keep its lab running, for a reader that is no longer there.
public enum Console {
    /// Why stdout could not take a report. The command line turns it into one line and exit 1.
    public struct WriteError: Error, Equatable, Sendable {
        /// The errno of the failed write: EPIPE when the reader went away, ENOSPC, EBADF...
        public let errno: Int32

        public init(errno: Int32) { self.errno = errno }
    }

    /// Writes a report to stdout; throws when it cannot be written whole.
    public static func out(_ s: String) throws(WriteError) {
        if let code = write(fd: 1, s) { throw WriteError(errno: code) }
    }

    /// Writes a note or an error to stderr. Best effort: a failure there has nowhere left to
    /// be reported, and the command's result does not depend on its notes.
    public static func err(_ s: String) {
        _ = write(fd: 2, s)
    }

    /// Writes a report built as UTF-8 bytes to stdout, with as few write(2)s as the kernel
    /// takes; throws when it cannot be written whole.
    public static func out(_ bytes: [UInt8]) throws(WriteError) {
        if let code = bytes.withUnsafeBytes({ write(fd: 1, $0) }) { throw WriteError(errno: code) }
    }

    /// Writes all of `s` to `fd`; returns the errno of a failed write, nil when all went out.
    private static func write(fd: Int32, _ s: String) -> Int32? {
        var s = s
        return s.withUTF8 { write(fd: fd, UnsafeRawBufferPointer($0)) }
    }

    private static func write(fd: Int32, _ buf: UnsafeRawBufferPointer) -> Int32? {
        do { _ = try FileDescriptor(rawValue: fd).writeAll(buf) } catch { return (error as? Errno)?.rawValue ?? EIO }
        return nil
    }

    /// Whether stdout is a pipe or socket whose reader has gone (`mptop --json | head -1` after
    /// head exited). A pipe's write end reports POLLERR once no reader is left, a socket or a
    /// hung-up terminal POLLHUP; files and live terminals report neither.
    public static var readerGone: Bool { waitForReaderGone(milliseconds: 0) }

    /// Sleeps up to `milliseconds`, waking early (and returning true) when stdout's reader goes
    /// away, so a command between samples notices a closed pipe at once, not at its next write.
    public static func waitForReaderGone(milliseconds: Int32) -> Bool {
        var p = pollfd(fd: 1, events: 0, revents: 0)
        // POLLERR and POLLHUP are reported whatever `events` asks for.
        let ready = poll(&p, 1, max(0, milliseconds))
        return ready > 0 && p.revents & Int16(POLLERR | POLLHUP) != 0
    }

    /// Throws EPIPE's WriteError when stdout's reader is gone: the next report would fail.
    public static func checkReader() throws(WriteError) {
        if readerGone { throw WriteError(errno: EPIPE) }
    }

    /// Makes sure descriptors 0, 1 and 2 are open, before anything else opens a descriptor.
    /// Started with stdout closed (`mptop --json >&-`), the first socket mptop opens would get
    /// descriptor 1 and every report would be written into it (a netlink socket to the kernel,
    /// as root). A closed slot is filled with /dev/null opened read-only: nothing else can land
    /// there, and writing a report fails with EBADF, as it would on the closed descriptor.
    public static func holdStandardDescriptors() {
        for fd in Int32(0)...2 where fcntl(fd, F_GETFD) < 0 && errno == EBADF {
            // open() returns the lowest free descriptor: this one, since the lower ones are open.
            let opened = open("/dev/null", O_RDONLY)
            if opened >= 0 && opened != fd { _ = dup2(opened, fd); close(opened) }
        }
    }
}

extension Console.WriteError: CustomStringConvertible {
    public var description: String { "cannot write to stdout: " + Errno(rawValue: errno).text }
}
