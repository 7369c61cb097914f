import MPTCPKit

/// One text file of a debug bundle, built from sections: a system tool's output under
/// "$ COMMAND" (the command as the user would type it), or what mptop read itself under
/// "# WHAT". Every section has its heading, so no file of the bundle is ever empty, and a tool
/// that failed leaves its error output and exit status in the file and a note in the manifest.
struct ReportTextFile {
    private(set) var text = ""
    /// What went wrong, one phrase each, for the manifest's note.
    private(set) var problems: [String] = []
    private var ran = 0
    private var missing: [String] = []

    mutating func add(_ heading: String, _ body: String) {
        text += "# \(heading)\n" + Self.ended(body)
    }

    /// Runs `tool` (found in ToolRunner's system directories, never `$PATH`) and adds its output.
    mutating func run(_ tool: String, _ arguments: [String], timeout: Double = 10) {
        let shown = ([tool] + arguments).joined(separator: " ")
        text += "$ \(shown)\n"
        guard let path = ToolRunner.locate(tool) else {
            text += "[not run: \(tool) is not installed]\n"
            missing.append(tool)
            return
        }
        let out: ToolRunner.Output
        do {
            out = try ToolRunner.run(path, arguments, timeout: timeout)
        } catch {
            text += "[not run: \(error)]\n"
            problems.append("'\(shown)' did not start: \(error)")
            return
        }
        ran += 1
        text += Self.ended(out.stdout)
        if !out.stderr.isEmpty { text += "[error output]\n" + Self.ended(out.stderr) }
        if out.timedOut {
            text += "[killed after \(Int(timeout)) s]\n"
            problems.append("'\(shown)' ran past \(Int(timeout)) s and was killed")
        } else if out.status != 0 {
            text += "[exit status \(out.status)]\n"
            let why = out.stderr.split(separator: "\n").first.map { ": " + $0 } ?? ""
            problems.append("'\(shown)' exited with status \(out.status)\(why)")
        }
    }

    /// Collected, with the problems as its note; not collected when no tool it needs is installed.
    var status: ReportManifest.Status {
        if ran == 0, !missing.isEmpty, problems.isEmpty {
            return .notCollected(Set(missing).sorted().joined(separator: ", ") + " not installed")
        }
        return .collected(note: problems.isEmpty ? nil : problems.joined(separator: "; "))
    }

    private static func ended(_ s: String) -> String { s.isEmpty || s.hasSuffix("\n") ? s : s + "\n" }
}
