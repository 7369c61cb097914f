/// What every command does first about the journals of killed runs (`ActionJournal`): the one
/// entry point, so the dashboard, the monitor and the action commands follow the same rules.
///
/// - Without CAP_NET_ADMIN nothing can be restored (and /run/mptop cannot be read): nothing.
/// - With `readOnly` nothing is changed: one line says that journals are left and how to
///   restore them.
/// - Otherwise each journal of a run that is provably dead is undone in the network namespace
///   it was written in, found by identity (never the namespace mptop happens to run in); when
///   that namespace no longer exists its changes went with it and the journal is dropped.
/// Every outcome is one line through `report`.
public enum JournalRecovery {
    /// Returns how many journals were restored or dropped. Throws only when mptop could not
    /// return to its own namespace after restoring in another one (it must not go on there).
    @discardableResult
    public static func atStart(readOnly: Bool, directory: String = ActionJournal.defaultDirectory,
                               report unescaped: (String) -> Void) throws -> Int {
        // The lines quote journal text (what was done, the namespace) read from a file: escaped
        // for the terminal even though the parser refuses control characters already.
        try recover(readOnly: readOnly, directory: directory, report: { unescaped($0.escapedForTerminal) })
    }

    private static func recover(readOnly: Bool, directory: String, report: (String) -> Void) throws -> Int {
        guard Privileges.hasNetAdmin() else { return 0 }
        let dir: PrivateDirectory
        do {
            guard let opened = try PrivateDirectory.open(directory, create: false) else { return 0 }
            dir = opened
        } catch {
            report("mptop: undo journals not read: \(error)")
            return 0
        }
        let dead = leftovers(in: dir, report: report)
        guard !dead.isEmpty else { return 0 }
        if readOnly {
            report("mptop: \(dead.count) undo journal(s) of killed runs left in \(dir.path) (\(dead.map(\.what).joined(separator: "; "))); "
                + "--readonly changes nothing: run mptop without --readonly to restore them")
            return 0
        }
        for entry in dead { try restore(entry, in: dir, report: report) }
        return dead.count
    }

    /// The well-formed journals of runs that are no longer running, by file name. Files that are
    /// not journals mptop wrote, and runs that cannot be told dead, are reported and left alone.
    static func leftovers(in dir: PrivateDirectory, report: (String) -> Void) -> [JournalEntry] {
        var out: [JournalEntry] = []
        for name in dir.names().sorted() where name.hasPrefix("journal-") {
            do {
                guard let text = try dir.read(name) else { continue }
                let entry = try JournalEntry(fileName: name, text: text)
                switch entry.writer.liveness {
                case .alive: continue // that run restores its own changes
                case .unknown(let why): report("mptop: undo journal \(dir.path)/\(name) left alone: \(why)")
                case .dead: out.append(entry)
                }
            } catch {
                report("mptop: ignoring undo journal \(dir.path)/\(name): \(error)")
            }
        }
        return out
    }

    private static func restore(_ entry: JournalEntry, in dir: PrivateDirectory, report: (String) -> Void) throws {
        let who = "a killed run (pid \(entry.run.pid))"
        let recorded = entry.namespace.map { "namespace \($0)" } ?? "network namespace \(entry.networkNamespace)"
        func gone(_ why: String) {
            dir.remove(entry.fileName)
            report("mptop: \(who) left an undo journal for \(recorded), which no longer exists (\(why)); its changes went with it: \(entry.what)")
        }
        guard entry.writer.boot == ProcessStamp.bootID() else { return gone("written before the last reboot") }

        var handle: NetworkNamespaceHandle?
        if (try? NamespaceIdentity.current()) != entry.networkNamespace {
            var uninspected = 0
            guard let found = NetworkNamespaceHandle.find(entry.networkNamespace, uninspected: &uninspected) else {
                return gone("not under /run/netns nor held by any process"
                    + (uninspected > 0 ? " mptop may inspect; \(uninspected) may not be" : ""))
            }
            handle = found
        }
        let place = (handle?.name ?? NetworkNamespaceHandle.named(entry.networkNamespace)?.name).map { "namespace \($0)" } ?? recorded

        let home = try NetworkNamespace.Saved()
        var failures: [String] = []
        do {
            try handle?.enter()
            // The inode matched; the cookie tells whether it is the same namespace or a later
            // one that was given the freed inode number.
            if let cookie = entry.networkCookie, let now = NamespaceIdentity.currentNetworkCookie(), now != cookie {
                try home.restore()
                return gone("its inode now belongs to another namespace")
            }
            for step in entry.steps.reversed() {
                do { try step.perform() } catch { failures.append("\(error)") }
            }
        } catch {
            failures.append("\(error)")
        }
        if handle != nil { try home.restore() }
        if failures.isEmpty {
            dir.remove(entry.fileName)
            report("mptop: restored what \(who) changed in \(place): \(entry.what)")
        } else {
            report("mptop: could not fully restore what \(who) changed in \(place) (\(failures.joined(separator: "; "))); journal kept at \(dir.path)/\(entry.fileName)")
        }
    }
}
