import ArgumentParser
import MPTCPKit
import Output
#if canImport(Glibc)
import Glibc
#endif

/// `mptop report`: a debug bundle for a bug report, with what MPTCP's maintainers ask for
/// (mptcpd's `mptcp-get-debug`). The work is Output's `ReportBundle`; this is the flags.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a debug bundle (.tar.gz) for an MPTCP bug report.",
        discussion: """
        Collects what MPTCP's maintainers ask for while the problem happens: kernel, \
        distribution, mptop and iproute2 versions; net.mptcp sysctls and the path manager; \
        endpoints and limits; addresses, links, routes and rules; `ss -ManiH` and the MPTcpExt \
        counters before and after a window of --seconds, during which it takes a snapshot a \
        second and records the path manager's events; `ss -tniH`; and `mptop diagnose` in text \
        and JSON. README.txt in the archive says what each file is and what could not be \
        collected and why. Ctrl-C ends the window early; the bundle is still written. \
        Without root it collects what it can (no events) and says what it skipped. The file is \
        written with mode 0600, never through a symlink, and never over an existing file \
        unless --force.
        """)

    @OptionGroup var namespace: NamespaceOption
    var netns: String? { namespace.netns }

    @Option(name: [.customShort("s"), .long], parsing: .unconditional,
            help: ArgumentHelp("Length of the sampling window (default 10; 0: none).", valueName: "S"),
            transform: ArgumentValue.seconds("--seconds"))
    var seconds: Double?

    /// Long enough to reproduce a join or a failover by hand, short enough to wait for.
    static let defaultSeconds = 10.0

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("The bundle to write.", valueName: "FILE.tar.gz"))
    var output: String

    @Flag(help: "Replace the output file if it exists (never a symlink).")
    var force = false

    func validate() throws {
        guard !output.isEmpty else { throw ValidationError("--output needs a file name") }
    }

    func run() throws {
        let seconds = self.seconds ?? Self.defaultSeconds
        try ReportBundle.check(output: output, force: force)
        if let netns { try NetworkNamespace.enter(netns) }
        let stop = try StopSignal()
        stop.installSignalHandlers()
        // Progress only for a person watching; a script's stderr gets the outcome alone.
        let atTerminal = isatty(2) != 0 && seconds > 0
        let summary = try ReportBundle.write(
            ReportBundleOptions(namespace: netns, seconds: seconds, mptopVersion: HelpText.version), to: output, force: force, stop: stop,
            progress: { done, total in
                if atTerminal { Console.err("\rmptop report: collecting… \(done)/\(total) s (Ctrl-C ends it early)") }
            })
        if atTerminal { Console.err("\n") }
        for line in summary.manifest.problemLines { Console.err("mptop report: \(line.escapedForTerminal)\n") }
        Console.err("mptop report: wrote \(output.escapedForTerminal) (\(summary.files) files, \(summary.bytes) bytes, mode 0600)\n")
    }
}
