import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// A system call that failed, as a value: what mptop was doing, to which file or name, and the
/// kernel's `Errno`. Nothing here is text until it is said: `description` is the one line the
/// command line prints after `mptop: ` ("cannot open /run/netns/x: Permission denied"), and the
/// command decides the exit status (1). Callers that react to a cause match on `errno`.
public struct SystemCallError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was being done, said as the start of the line.
    public enum Operation: Equatable, Sendable {
        case open, read, write, create, use, run
        /// Entering a network namespace (`subject` names it: "namespace 'lab1'").
        case enter
        /// Coming back to a namespace ("the original network namespace").
        case returnTo
        /// Creating a temporary directory in `subject`.
        case createDirectoryIn
        /// Reading a file mptop only reads when it could have written it (`subject: reason`).
        case access

        var verb: String {
            switch self {
            case .open: return "cannot open "
            case .read: return "cannot read "
            case .write: return "cannot write "
            case .create: return "cannot create "
            case .use: return "cannot use "
            case .run: return "cannot run "
            case .enter: return "cannot enter "
            case .returnTo: return "cannot return to "
            case .createDirectoryIn: return "cannot create a directory in "
            case .access: return ""
            }
        }
    }

    public let operation: Operation
    /// The path, program or namespace it was done to.
    public let subject: String
    public let errno: Errno

    public init(_ operation: Operation, _ subject: String, _ errno: Errno) {
        self.operation = operation
        self.subject = subject
        self.errno = errno
    }

    public var description: String { "\(operation.verb)\(subject): \(errno.text)" }
}

extension Errno {
    /// The C library's text for it, e.g. "Operation not permitted" (swift-system's description).
    public var text: String { description }

    /// `body`'s result, or the `Errno` it threw: swift-system's calls declare an untyped `throws`
    /// but throw nothing else (anything else would be a bug there, said as EIO rather than a trap).
    public static func catching<T>(_ body: () throws -> T) throws(Errno) -> T {
        do { return try body() } catch let e as Errno { throw e } catch { throw Errno.ioError }
    }

    /// The errno of the calling thread's last failed call, for the calls swift-system does not wrap.
    public static var current: Errno { Errno(rawValue: Glibc.errno) }
}
