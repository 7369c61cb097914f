import Dashboard
import MPTCPKit
#if canImport(Glibc)
import Glibc
#endif

/// `mptop replay FILE` at a terminal: the dashboard on the recording, read-only, with the
/// replay keys. Nothing here touches the kernel: any machine, no root, no MPTCP.
enum ReplayDashboard {
    static func run(_ reader: RecordingReader, _ o: MonitorOptions, from: Double?) throws {
        var o = o
        let noColor = o.noColor || !(getenv("NO_COLOR").map { String(cString: $0).isEmpty } ?? true)
        // The person's saved look (theme, sort, columns, share mode, how long closed ones stay)
        // as the live dashboard has it; the interval is the recording's. A replay never saves
        // them: changing the sort while looking back is not a new preference.
        var (settings, settingNotes) = try DashboardCommand.loadSettings(&o, path: SettingsFile.standardPath())
        settings.interval = nil
        let (themes, startIndex, themeNotes) = try DashboardCommand.loadThemes(o)
        guard try DashboardCommand.terminalCanDraw() else {
            throw MPTopError.usage("this terminal cannot show the replay dashboard; use 'mptop replay FILE --json'")
        }
        // Every record is checked before the screen opens: damage is one line on a normal screen.
        guard let first = try reader.blocks(verify: true).first else { throw RecordingError(path: reader.path, problem: .empty) }
        try reader.rewind(before: .infinity)
        var last = first.time
        while let s = try reader.next() { last = s.snapshot.time }
        reader.rewind()
        var notes = settingNotes + themeNotes
        if let cut = reader.truncation { notes.append(cut) }

        let h = reader.header
        let header = HeaderInfo(host: h.host, namespace: h.namespace, pathManager: h.pathManager.map(PathManagerKind.init(rawValue:)),
                                scheduler: h.scheduler, canAct: false, readOnlyReason: "replay")
        let stop = try StopSignal()
        stop.installSignalHandlers()
        let terminal = try CursesTerminal(noColor: noColor, stopDescriptor: stop.readEnd)
        defer { terminal.close() }
        var state = DashboardState(header: header, width: terminal.width, height: terminal.height, interval: h.interval,
                                   glyphs: terminal.utf8 ? .unicode : .ascii, themeIndex: startIndex)
        var playback = Playback(start: first.time, end: last)
        if let from { playback.position = min(last, first.time + from) }
        state.apply(settings)
        state.playback = playback
        state.message = notes.isEmpty ? nil : notes.joined(separator: "; ")
        var inputs = DashboardInputs(terminal: terminal, sample: { throw MPTopError.io("a replay takes its samples from the recording") },
                                     now: { Clock.system.monotonicSeconds() }, themes: themes)
        inputs.replay = reader
        DashboardLoop(state: state, inputs: inputs).run()
    }
}
