import Dashboard
import MPTCPKit
import Output
#if canImport(Glibc)
import Glibc
#endif

/// `mptop` at a terminal: the live ncurses dashboard on the current or a named namespace.
enum DashboardCommand {
    /// `extras` adds keys and a bar (the demo's). With `enterNamespace` false the caller has
    /// already entered `o.namespace`. `stop` is the caller's, already installed (the demo's,
    /// so a Ctrl-C or SIGTERM while its lab was being built still ends it). `record` starts
    /// recording to that file at once (`mptop demo --record FILE`), as the R key would.
    static func run(_ o: MonitorOptions, extras: DashboardExtras? = nil, enterNamespace: Bool = true,
                    stop given: StopSignal? = nil, record: String? = nil) throws -> Int32 {
        var o = o
        let noColor = o.noColor || !(getenv("NO_COLOR").map { String(cString: $0).isEmpty } ?? true)
        // Settings and themes are read before anything else, so a broken file is an error on a
        // normal screen.
        let settingsPath = SettingsFile.standardPath()
        var (settings, notes) = try loadSettings(&o, path: settingsPath)
        let (themes, startIndex, themeNotes) = try loadThemes(o)
        notes += themeNotes
        if o.listThemes {
            try listThemes(o)
            return 0
        }
        try requireTerminal()
        let canAdmin = Capabilities.hasNetAdmin()
        var startNotes = notes
        // What a killed failover test left behind is put back (named, with --readonly) before
        // anything else happens.
        try JournalRecovery.atStart(readOnly: o.readOnly) { startNotes.append($0) }
        if enterNamespace, let ns = o.namespace { try NetworkNamespace.enter(ns) }
        let enabled = try MPTCPSysctl.mptcpEnabled()
        let sysctl = MPTCPSysctl.read()
        // One thread: the dashboard's cost is CPU per refresh, which overlapping the dumps with
        // decoding does not lower (it adds 0-9% for the threads' hand-offs); the one-shot
        // commands, whose cost is the wait, overlap (README, Performance).
        var samplerOptions = Sampler.Options(processes: o.processes, namespace: o.namespace)
        samplerOptions.concurrent = false
        let sampler = try Sampler(options: samplerOptions)
        // Fail here, before the screen opens, if the kernel cannot be read; the loop starts from
        // this sample rather than taking another one a moment later (rates over milliseconds).
        var firstSample: Snapshot? = try sampler.sample()

        let header = HeaderInfo(host: hostName(), namespace: o.namespace, pathManager: sysctl.pathManager,
                                scheduler: sysctl.scheduler, canAct: canAdmin && !o.readOnly,
                                readOnlyReason: o.readOnly ? "--readonly" : (canAdmin ? nil : "no CAP_NET_ADMIN"))
        // Events make the list react at once; without CAP_NET_ADMIN the kernel refuses them and
        // the dashboard polls, saying so.
        var events: PathManagerEventSource?
        var eventsMode = DashboardState.EventsMode.live
        do { events = try PathManagerEventSource() } catch { eventsMode = .polling(reason: "\(error)") }
        let counters = MPTCPCounterMonitor()
        let recorder = DashboardRecorder(namespace: o.namespace, writerName: HelpText.version)
        if let record { try recorder.start(path: record, interval: settings.interval ?? 1) }
        let stop = try given ?? StopSignal()
        if given == nil { stop.installSignalHandlers() }
        let terminal = try CursesTerminal(noColor: noColor, stopDescriptor: stop.readEnd)
        defer { terminal.close() }
        var state = DashboardState(header: header, width: terminal.width, height: terminal.height,
                                   interval: settings.interval ?? 1,
                                   glyphs: terminal.utf8 ? .unicode : .ascii, themeIndex: startIndex)
        if !enabled { startNotes.append("MPTCP is disabled here (net.mptcp.enabled = 0)") }
        if case .polling(let reason) = eventsMode { startNotes.append("polling only: \(reason)") }
        state.message = startNotes.isEmpty ? nil : startNotes.joined(separator: "; ")
        state.events = eventsMode
        state.apply(settings)
        state.recording = recorder.status
        var inputs = DashboardInputs(terminal: terminal, sample: {
            defer { firstSample = nil }
            return try firstSample ?? sampler.sample()
        },
                                     now: { Clock.system.monotonicSeconds() }, themes: themes, extras: extras)
        inputs.events = events
        inputs.counters = { try counters.refresh() }
        inputs.recorder = recorder
        inputs.diagnose = { snapshot, events in Diagnosis.run(namespace: o.namespace, snapshot: snapshot, events: events) }
        if header.canAct { inputs.actions = ExecutorPort(namespace: o.namespace, sampler: sampler) }
        if let path = settingsPath {
            inputs.saveSettings = { settings in
                var settings = settings
                // The state knows a theme by its display name; the file keeps the name that
                // --theme and the catalog use (the file's, without .theme).
                settings.theme = themes.first { $0.name == settings.theme }?.path.map(themeFileName) ?? nil
                do { try SettingsFile.save(settings, path: path) } catch { return "\(error)" }
                return nil
            }
        }
        DashboardLoop(state: state, inputs: inputs).run()
        // Said on the normal screen, after the dashboard's is gone.
        terminal.close()
        if let line = recorder.stop() { Console.err("mptop: \(line.escapedForTerminal)\n") }
        return 0
    }

    /// The saved settings (none without a settings path) with the flags winning over them, and
    /// notes for the footer; a saved theme that is gone is a note, not a reason not to start.
    /// Sets `o.theme` to the saved one when no flag named one, for `loadThemes`.
    static func loadSettings(_ o: inout MonitorOptions, path: String?) throws -> (DashboardSettings, notes: [String]) {
        var (saved, notes) = try path.map { try SettingsFile.load(path: $0) } ?? (DashboardSettings(), [])
        let flags = DashboardSettings(theme: o.theme, interval: o.interval.map { max(0.1, $0) }, keepClosed: o.keepClosed)
        if o.theme == nil, let name = saved.theme {
            if (try? ThemeCatalog.standard(themesDirectory: o.themesDirectory).load(name)) != nil { o.theme = name } else {
                notes.append("the saved theme '\(name)' is not there any more; using the default")
                saved.theme = nil
            }
        }
        return (saved.overridden(by: flags), notes)
    }

    /// The dashboard's actions, carried out by MPTCPKit's executor in the watched namespace.
    final class ExecutorPort: ActionPort {
        let namespace: String?
        let sampler: Sampler
        let executor = ActionExecutor()

        init(namespace: String?, sampler: Sampler) {
            self.namespace = namespace
            self.sampler = sampler
        }

        func plan(_ action: MPTCPAction, snapshot: Snapshot) throws -> PlannedAction {
            try executor.plan(action, snapshot: snapshot, interfaces: sampler.interfaceTable)
        }

        func execute(_ planned: PlannedAction, confirmedTwice: Bool) throws -> ActionOutcome {
            try executor.execute(planned, confirmedTwice: confirmedTwice)
        }
    }

    static func requireTerminal() throws {
        guard isatty(0) != 0, isatty(1) != 0 else {
            throw MPTopError.usage("the dashboard needs a terminal; use --once, --json or --count for pipes and scripts")
        }
    }

    /// Whether the dashboard can be drawn here, asked before anything is built: true for a
    /// terminal that can move the cursor; false for one that only takes lines (TERM=dumb), where
    /// the caller shows the plain text view instead, saying so. Throws for pipes, and for TERM
    /// unset or unknown (ncurses could not drive it) with what to do instead.
    static func terminalCanDraw() throws -> Bool {
        try requireTerminal()
        switch CursesTerminal.support() {
        case .screen:
            return true
        case .linesOnly:
            Console.err("mptop: note: this terminal cannot move the cursor (TERM=dumb or the like); showing the plain text view\n")
            return false
        case .unusable(let why):
            throw MPTopError.io("cannot draw the dashboard: \(why); set TERM to your terminal's type (e.g. TERM=xterm-256color), or use --once, --json or --count")
        }
    }

    /// Every theme found (for `t`), which one to start with, and notes about unknown keys.
    static func loadThemes(_ o: MonitorOptions) throws -> ([Theme], Int, [String]) {
        let catalog = ThemeCatalog.standard(themesDirectory: o.themesDirectory)
        var themes: [Theme] = []
        var notes: [String] = []
        for entry in catalog.available() {
            // A broken theme nobody asked for is skipped with a note, not fatal.
            do { themes.append(try ThemeCatalog.load(path: entry.path)) } catch { notes.append("\(error)") }
        }
        var start = 0
        if let wanted = o.theme {
            let theme = try catalog.load(wanted)
            if let i = themes.firstIndex(where: { $0.path == theme.path }) {
                start = i
            } else {
                themes.insert(theme, at: 0)
            }
        }
        if themes.isEmpty { themes = [.basic] }
        for (line, key) in themes[start].unknownKeys {
            notes.append("theme \(themes[start].path ?? themes[start].name), line \(line): unknown key \(ThemeParser.quoted(key, else: "(not shown)")) ignored")
        }
        return (themes, start, notes)
    }

    static func listThemes(_ o: MonitorOptions) throws {
        let catalog = ThemeCatalog.standard(themesDirectory: o.themesDirectory)
        let entries = catalog.available()
        if entries.isEmpty { try Console.out("no themes found; searched: \(catalog.directories.map(\.path).joined(separator: ", ").escapedForTerminal)\n") }
        // File names in a user's theme folder are the user's to choose, escapes included.
        for e in entries {
            try Console.out(e.name.escapedForTerminal.padded(to: 15) + " " + e.origin.rawValue.padded(to: 12) + " " + e.path.escapedForTerminal + "\n")
        }
    }

    /// "light" for ".../light.theme".
    static func themeFileName(_ path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        return file.hasSuffix(".theme") ? String(file.dropLast(6)) : file
    }

    static func hostName() -> String {
        var buf = [CChar](repeating: 0, count: 256)
        guard gethostname(&buf, buf.count - 1) == 0 else { return "?" }
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
