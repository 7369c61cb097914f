#if canImport(Glibc)
import Glibc
#endif

/// A small file saying how to undo what a running action changed: written before the first
/// change, rewritten with every further step, deleted after a verified restore. A run killed
/// with SIGKILL leaves it behind; the next start of mptop finds it (`recoverLeftovers`) and
/// puts everything back.
///
/// Format (text, one item per line, so it can be read without a JSON parser and by a person):
/// `mptop-journal 1`, `pid N`, `namespace NAME|-`, `what TEXT`, then one `undo ...` per step.
public final class ActionJournal {
    /// /run/mptop, or `$MPTOP_JOURNAL_DIR` (lets a test keep its journals to itself).
    public static var defaultDirectory: String {
        getenv("MPTOP_JOURNAL_DIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/run/mptop"
    }

    public let path: String
    public let namespace: String?
    public let what: String
    public private(set) var steps: [UndoStep] = []

    /// Nothing is written until the first `record`.
    /// `unique` tells apart journals of one process (two tests at once in the dashboard).
    public init(namespace: String?, what: String, directory: String = ActionJournal.defaultDirectory, unique: String? = nil) {
        self.namespace = namespace
        self.what = what
        path = "\(directory)/journal-\(namespace ?? "host")-\(unique ?? String(getpid())).txt"
    }

    /// Adds `step` and writes the journal (atomically: a temporary file renamed over it).
    public func record(_ step: UndoStep) throws {
        steps.append(step)
        try write()
    }

    /// Forgets steps already undone (in-memory and on disk).
    public func forget(_ step: UndoStep) throws {
        steps.removeAll { $0 == step }
        if steps.isEmpty { remove() } else { try write() }
    }

    public func remove() { unlink(path) }

    var text: String {
        (["mptop-journal 1", "pid \(getpid())", "namespace \(namespace ?? "-")", "what \(what)"]
            + steps.map { "undo \($0.line)" }).joined(separator: "\n") + "\n"
    }

    private func write() throws {
        let directory = String(path[..<path.lastIndex(of: "/")!])
        if mkdir(directory, 0o700) != 0 && errno != EEXIST {
            throw MPTopError.io("cannot create \(directory) for the undo journal: \(MPTopError.errnoText(errno))")
        }
        let temporary = path + ".new"
        guard let f = fopen(temporary, "w") else {
            throw MPTopError.io("cannot write the undo journal \(temporary): \(MPTopError.errnoText(errno))")
        }
        let body = text
        let ok = fputs(body, f) >= 0 && fflush(f) == 0 && fsync(fileno(f)) == 0
        fclose(f)
        guard ok, rename(temporary, path) == 0 else {
            throw MPTopError.io("cannot write the undo journal \(path): \(MPTopError.errnoText(errno))")
        }
    }
}

/// A journal found on disk.
public struct JournalEntry: Sendable {
    public let path: String
    public let pid: Int32
    public let namespace: String?
    public let what: String
    public let steps: [UndoStep]

    public init?(path: String, text: String) {
        var pid: Int32?, namespace: String?, what = "", steps: [UndoStep] = []
        let lines = text.split(separator: "\n").map(String.init)
        guard lines.first == "mptop-journal 1" else { return nil }
        for line in lines.dropFirst() {
            if line.hasPrefix("pid ") { pid = Int32(line.dropFirst(4)) }
            else if line.hasPrefix("namespace ") { let n = String(line.dropFirst(10)); namespace = n == "-" ? nil : n }
            else if line.hasPrefix("what ") { what = String(line.dropFirst(5)) }
            else if line.hasPrefix("undo "), let s = UndoStep(line: String(line.dropFirst(5))) { steps.append(s) }
        }
        guard let pid else { return nil }
        self.path = path
        self.pid = pid
        self.namespace = namespace
        self.what = what
        self.steps = steps
    }
}

extension ActionJournal {
    /// Journals of mptop runs that are no longer running.
    public static func leftovers(directory: String = defaultDirectory) -> [JournalEntry] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var out: [JournalEntry] = []
        while let e = readdir(dir) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard name.hasPrefix("journal-"), name.hasSuffix(".txt") else { continue }
            let path = "\(directory)/\(name)"
            guard let text = (try? TextFile.read(path)) ?? nil, let entry = JournalEntry(path: path, text: text) else { continue }
            // Alive (us included): that run restores its own changes.
            if kill(entry.pid, 0) == 0 || errno == EPERM { continue }
            out.append(entry)
        }
        return out.sorted { $0.path < $1.path }
    }

    /// Undoes every leftover journal (entering its namespace for the time it takes) and reports
    /// each in one line through `report`. A journal whose namespace is gone has nothing left
    /// to restore and is deleted. Returns how many journals were handled.
    @discardableResult
    public static func recoverLeftovers(directory: String = defaultDirectory, report: (String) -> Void) -> Int {
        let entries = leftovers(directory: directory)
        guard !entries.isEmpty, let home = try? NetworkNamespace.Saved() else { return 0 }
        for entry in entries {
            let place = entry.namespace.map { "namespace \($0)" } ?? "the host namespace"
            var failures: [String] = []
            do {
                if let ns = entry.namespace { try NetworkNamespace.enter(ns) }
                for step in entry.steps.reversed() {
                    do { try step.perform() } catch { failures.append("\(error)") }
                }
            } catch MPTopError.noSuchNamespace {
                failures = []
                report("mptop: a killed run (pid \(entry.pid)) left an undo journal for \(place), which no longer exists; nothing to restore")
                unlink(entry.path)
                continue
            } catch {
                failures.append("\(error)")
            }
            try? home.restore()
            if failures.isEmpty {
                unlink(entry.path)
                report("mptop: restored what a killed run (pid \(entry.pid)) changed in \(place): \(entry.what)")
            } else {
                report("mptop: could not fully restore what a killed run (pid \(entry.pid)) changed in \(place) (\(failures.joined(separator: "; "))); journal kept at \(entry.path)")
            }
        }
        return entries.count
    }
}
