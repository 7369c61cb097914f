#if canImport(Glibc)
import Glibc
#endif

/// A small file saying how to undo what a running action changed: written before the first
/// change, rewritten with every further step, deleted after a verified restore. A run killed
/// with SIGKILL leaves it behind; the next start of mptop finds it (`JournalRecovery`) and puts
/// everything back, in the namespace where it was changed.
///
/// Format (text, one item per line, so it can be read without a JSON parser and by a person):
/// `mptop-journal 2`, the writer's `ProcessStamp` lines (`pid`, `started`, `pidns`, `boot`),
/// `netns DEV:INO` and `netns-cookie N|-` (the namespace the changes were made in),
/// `namespace NAME|-` (its name, for people), `what TEXT`, then one `undo ...` per step.
/// The file is `journal-<run id>.txt` in a `PrivateDirectory`.
public final class ActionJournal {
    /// /run/mptop, or `$MPTOP_JOURNAL_DIR`. The variable lets tests (and parallel test runs)
    /// keep their journals apart without touching the host's. Root does not trust it blindly:
    /// the directory it names gets exactly the checks /run/mptop gets (`PrivateDirectory`: owned
    /// by root, mode 0700, no symlink; each journal a root-owned 0600 file), so it can only point
    /// mptop at a directory root itself made private, never at files someone else wrote.
    public static var defaultDirectory: String {
        getenv("MPTOP_JOURNAL_DIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? PrivateDirectory.runDirectory
    }

    public let run: ActionRunID
    public let directory: String
    public let namespace: String?
    public let what: String
    public private(set) var steps: [UndoStep] = []
    /// Where the changes are made: taken at the first `record`, in the thread that makes them.
    private var place: (identity: NamespaceIdentity, cookie: UInt64?, name: String?)?
    private var stamp: ProcessStamp?

    public var fileName: String { Self.fileName(for: run) }
    public var path: String { "\(directory)/\(fileName)" }

    /// Nothing is written until the first `record`. `namespace` is the name the caller entered
    /// (nil: whichever namespace the thread is in; its name is looked up under /run/netns).
    public init(namespace: String?, what: String, run: ActionRunID, directory: String = ActionJournal.defaultDirectory) {
        self.namespace = namespace
        self.what = what
        self.run = run
        self.directory = directory
    }

    static func fileName(for run: ActionRunID) -> String { "journal-\(run).txt" }

    /// Checks that the directory can hold journals (creating /run/mptop when missing), so an
    /// action fails before it changes anything rather than at its first step.
    public static func checkDirectory(_ directory: String) throws {
        _ = try PrivateDirectory.open(directory, create: true)
    }

    /// Adds `step` and writes the journal (atomically: a fresh file renamed over it).
    public func record(_ step: UndoStep) throws {
        if place == nil {
            let identity = try NamespaceIdentity.current()
            place = (identity, NamespaceIdentity.currentNetworkCookie(),
                     namespace ?? NetworkNamespaceHandle.named(identity)?.name)
            stamp = try ProcessStamp.current()
        }
        steps.append(step)
        try write()
    }

    /// Forgets steps already undone (in-memory and on disk).
    public func forget(_ step: UndoStep) throws {
        steps.removeAll { $0 == step }
        if steps.isEmpty { remove() } else { try write() }
    }

    public func remove() {
        (try? PrivateDirectory.open(directory, create: false))??.remove(fileName)
    }

    var text: String {
        guard let place, let stamp else { return "" }
        let header = ["mptop-journal 2"] + stamp.lines + [
            "netns \(place.identity)", "netns-cookie \(place.cookie.map(String.init) ?? "-")",
            "namespace \(place.name.map(JournalEntry.printable) ?? "-")", "what \(JournalEntry.printable(what))",
        ]
        return (header + steps.map { "undo \($0.line)" }).joined(separator: "\n") + "\n"
    }

    private func write() throws {
        guard let dir = try PrivateDirectory.open(directory, create: true) else { return }
        try dir.write(fileName, text)
    }
}
