/// A journal found on disk, accepted only when it is exactly what `ActionJournal` writes:
/// every line in order, every value parsed (never passed on as text), each undo step one that
/// the run named by the file could have recorded.
public struct JournalEntry: Sendable {
    public let fileName: String
    public let run: ActionRunID
    public let writer: ProcessStamp
    public let networkNamespace: NamespaceIdentity
    public let networkCookie: UInt64?
    /// Its name when it was written (for people; the identity is what counts).
    public let namespace: String?
    public let what: String
    public let steps: [UndoStep]

    /// Why a file is not a journal mptop will act on (one phrase).
    public struct Malformed: Error, CustomStringConvertible {
        public let description: String
    }

    /// The run id in a journal file name, nil for any other name.
    public static func run(ofFileName name: String) -> ActionRunID? {
        guard name.hasPrefix("journal-"), name.hasSuffix(".txt") else { return nil }
        return ActionRunID(String(name.dropFirst(8).dropLast(4)))
    }

    public init(fileName: String, text: String) throws {
        func bad(_ why: String) -> Malformed { Malformed(description: why) }
        guard let run = Self.run(ofFileName: fileName) else { throw bad("not a journal name mptop writes") }
        guard text.hasSuffix("\n") else { throw bad("incomplete (no final newline)") }
        let lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.first == "mptop-journal 1" {
            throw bad("written by an older mptop, without the namespace's identity; check it by hand and delete it")
        }
        guard lines.first == "mptop-journal 2", lines.count >= 9 else { throw bad("not an mptop journal (version 2)") }
        if let line = lines.first(where: { !$0.unicodeScalars.allSatisfy(Self.isPrintable) }) {
            throw bad("a line with control characters (\(Self.printable(line)))")
        }
        guard let writer = ProcessStamp(lines: lines[1...4]), writer.pid == run.pid else {
            throw bad("no valid pid/started/pidns/boot lines for pid \(run.pid)")
        }
        func value(_ i: Int, _ key: String) throws -> String {
            guard let v = lines[i].value(forKey: key) else { throw bad("line \(i + 1) is not '\(key) ...'") }
            return v
        }
        guard let netns = NamespaceIdentity(try value(5, "netns")) else { throw bad("no valid netns line") }
        let cookieText = try value(6, "netns-cookie")
        let cookie = cookieText == "-" ? nil : (cookieText.isDecimalNumber ? UInt64(cookieText) : nil)
        guard cookieText == "-" || cookie != nil else { throw bad("no valid netns-cookie line") }
        let name = try value(7, "namespace")
        let what = try value(8, "what")
        var steps: [UndoStep] = []
        for (i, line) in lines.enumerated().dropFirst(9) {
            guard let step = line.value(forKey: "undo").flatMap(UndoStep.init(line:)) else {
                throw bad("line \(i + 1) is not an undo step mptop writes")
            }
            // A table name carries its run: a journal may only delete its own run's table.
            if case .deleteNftTable(let table) = step, NftBlackhole.run(ofTable: table) != run {
                throw bad("line \(i + 1) names another run's table")
            }
            steps.append(step)
        }
        self.fileName = fileName
        self.run = run
        self.writer = writer
        networkNamespace = netns
        networkCookie = cookie
        namespace = name == "-" ? nil : name
        self.what = what
        self.steps = steps
    }

    static func isPrintable(_ s: Unicode.Scalar) -> Bool { s.value >= 0x20 && s.value < 0x7f }

    /// `text` with anything but printable ASCII replaced by "?": what reaches a journal (and
    /// from there a terminal) holds no control characters.
    static func printable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { isPrintable($0) ? $0 : "?" }))
    }
}
