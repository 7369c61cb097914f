import ArgumentParser
import MPTCPKit
import Output
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// `mptop events`: streams the path manager's events, decoded, like `ip mptcp monitor` but with
/// interface names, reasons in words, and every attribute kept (unknown ones raw).
struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Stream the MPTCP path manager's events, decoded (needs CAP_NET_ADMIN).",
        discussion: """
        Connections created, established and closed, subflows opened, closed and \
        re-prioritised, addresses announced and removed, listeners: one line per event, written \
        as it arrives, until Ctrl-C or SIGTERM. With --json, one JSON object per line: type \
        ("created", "sub_closed", ...), token, local, remote, local_id, remote_id, backup, \
        interface, ifindex, error, error_text, reset_reason, reset_reason_text, reason, \
        raw_attributes (keys an event does not carry are left out). Lost events (receive buffer \
        overrun) print {"type":"overrun"}. Events are per namespace. Needs CAP_NET_ADMIN (root): \
        the kernel only lets privileged listeners subscribe.
        """)

    @Flag(name: [.customShort("j"), .long], help: "One JSON object per line.")
    var json = false

    @OptionGroup var namespace: NamespaceOption

    @Option(parsing: .unconditional, help: ArgumentHelp("Also append every event message, raw, to FILE (test fixtures).", valueName: "FILE"),
            completion: .file())
    var save: String?

    func run() throws {
        let namespace = self.namespace.netns, savePath = save
        if let namespace { try NetworkNamespace.enter(namespace) }
        _ = try MPTCPSysctl.mptcpEnabled()
        let source = try PathManagerEventSource()
        var saveFile: FileDescriptor?
        var saveError: Errno?
        if let savePath {
            let f: FileDescriptor
            do {
                f = try Errno.catching {
                    try FileDescriptor.open(FilePath(savePath), .writeOnly, options: [.create, .append, .closeOnExec],
                                            permissions: FilePermissions(rawValue: 0o666))
                }
            } catch {
                throw SystemCallError(.write, savePath, error)
            }
            saveFile = f
            source.recorder = { m in
                // A full disk ends the run (below) rather than leaving a file with gaps.
                do throws(Errno) { _ = try Errno.catching { try f.writeAll(m.encoded()) } } catch { if saveError == nil { saveError = error } }
            }
        }
        defer { try? saveFile?.close() }
        let stop = try StopSignal()
        stop.installSignalHandlers()
        Console.err("mptop events: subscribed in namespace \(namespace?.escapedForTerminal ?? "(current)"); Ctrl-C stops\n")
        while !stop.isStopped {
            // Checked between batches too: a quiet namespace may not write for hours.
            try Console.checkReader()
            if let savePath, let saveError { throw SystemCallError(.write, savePath, saveError) }
            let batch = source.wait(timeout: 0.2)
            if batch.overrun {
                let now = Clock.system.wallSeconds()
                try Console.out((json ? PathManagerEventJSON.overrun(time: now)
                             : PathManagerEventText.clockTime(now) + "  OVERRUN           events were lost (receive buffer overflowed)") + "\n")
            }
            guard !batch.events.isEmpty else { continue }
            var out = ""
            for e in batch.events {
                out += (json ? PathManagerEventJSON.render(e) : PathManagerEventText.line(e)) + "\n"
            }
            try Console.out(out)
        }
    }
}
