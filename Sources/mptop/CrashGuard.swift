#if canImport(Glibc)
import Glibc
#endif

/// Gives the terminal back if mptop dies from a fatal signal while the dashboard is open.
///
/// The handler only does async-signal-safe things: it restores the saved terminal modes with
/// tcsetattr, writes the escape sequences that leave the alternate screen and show the cursor,
/// then re-raises the signal with its default action so the exit status stays honest.
enum CrashGuard {
    nonisolated(unsafe) static var saved = termios()
    nonisolated(unsafe) static var haveSaved = false
    static let fatalSignals: [Int32] = [SIGSEGV, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE]

    static func install() {
        haveSaved = tcgetattr(0, &saved) == 0
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { sig in
            if CrashGuard.haveSaved { _ = tcsetattr(0, TCSANOW, &CrashGuard.saved) }
            // Leave the alternate screen, show the cursor, reset colours, stop mouse reports.
            let reset: StaticString = "\u{1b}[?1000l\u{1b}[?1006l\u{1b}[0m\u{1b}[?25h\u{1b}[?1049l\r\n"
            _ = write(2, reset.utf8Start, reset.utf8CodeUnitCount)
            signal(sig, SIG_DFL)
            raise(sig)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = Int32(truncatingIfNeeded: SA_RESETHAND)
        for s in fatalSignals { sigaction(s, &action, nil) }
    }

    static func uninstall() {
        for s in fatalSignals { signal(s, SIG_DFL) }
    }
}
