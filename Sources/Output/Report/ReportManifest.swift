import MPTCPKit

/// What a debug bundle (`mptop report`) holds: each file with what it is, and each file it does
/// not hold with why. It becomes the bundle's README.txt and the "not collected" lines on
/// stderr, so a maintainer reading the archive and the user making it see the same reasons.
public struct ReportManifest: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        /// In the bundle; `note` says what is odd about it (a tool's non-zero exit status).
        case collected(note: String? = nil)
        /// Not in the bundle, and why ("needs CAP_NET_ADMIN (run as root)").
        case notCollected(String)
    }

    public struct Entry: Sendable, Equatable {
        /// The file's name in the bundle.
        public let name: String
        /// What it is, in a few words.
        public let about: String
        public var status: Status

        public init(_ name: String, _ about: String, _ status: Status = .collected()) {
            self.name = name
            self.about = about
            self.status = status
        }

        public var isCollected: Bool {
            if case .collected = status { return true }
            return false
        }
    }

    /// The circumstances, one line each ("mptop 0.1.0", "namespace: lab-c", ...).
    public var facts: [String]
    public var entries: [Entry]

    public init(facts: [String] = [], entries: [Entry] = []) {
        self.facts = facts
        self.entries = entries
    }

    public static let readmeName = "README.txt"

    public var collected: [Entry] { entries.filter(\.isCollected) }
    public var notCollected: [Entry] { entries.filter { !$0.isCollected } }

    /// README.txt: the facts, the files with what each is, then what is missing and why.
    public func render() -> String {
        let readme = Entry(Self.readmeName, "this file: what each file is, and what could not be collected")
        let files = [readme] + collected
        let width = (files + notCollected).map(\.name.count).max() ?? 0
        func line(_ name: String, _ text: String) -> String {
            "  " + name + String(repeating: " ", count: width - name.count + 2) + text + "\n"
        }
        var out = "mptop debug bundle\n==================\n"
        for f in facts { out += f + "\n" }
        out += "\nFiles\n"
        for e in files {
            out += line(e.name, e.about)
            if case .collected(let note?) = e.status { out += line("", "note: " + note) }
        }
        out += "\nNot collected\n"
        if notCollected.isEmpty { out += "  nothing: every file above was collected.\n" }
        for e in notCollected {
            if case .notCollected(let why) = e.status { out += line(e.name, e.about + ": " + why) }
        }
        out += """

        Text files start each command's output with a line "$ COMMAND" (the command as you would
        type it), followed by what it printed; a non-zero exit status and its error output follow.
        JSON Lines files (*.jsonl) hold one JSON object per line, as `mptop --json` and
        `mptop events --json` print them (README of mptop, "JSON output").

        """
        return out
    }

    /// One line per file that is missing or has a note, for stderr: "events.jsonl not
    /// collected: needs ...", "endpoints.txt: note: 'ip ...' exited with status 2: ...".
    public var problemLines: [String] {
        entries.compactMap { e in
            switch e.status {
            case .notCollected(let why): return "\(e.name) not collected: \(why)"
            case .collected(let note?): return "\(e.name): note: \(note)"
            case .collected(nil): return nil
            }
        }
    }
}
