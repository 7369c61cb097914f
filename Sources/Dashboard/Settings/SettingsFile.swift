import MPTCPKit
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// The settings file, `$XDG_CONFIG_HOME/mptop/config` (or `~/.config/mptop/config`): one
/// `key = value` per line, `#` starts a comment. The dashboard rewrites it when a setting
/// changes; flags override it.
///
/// A value mptop cannot use is an error naming the line, before the screen opens: the dashboard
/// never starts on a half-understood setup. A key mptop does not know (a newer mptop wrote it) is
/// ignored with a note. Messages never quote the file's text, only its line numbers and mptop's
/// own key names: mptop may run as root on a file someone else controls.
public enum SettingsFile {
    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public let path: String
        public let line: Int?
        public let message: String
        public var description: String { "config \(path)" + (line.map { ", line \($0)" } ?? "") + ": \(message)" }
    }

    /// The file for this process's user.
    public static func standardPath(environment: (String) -> String? = { getenv($0).map { String(cString: $0) } }) -> String? {
        if let xdg = environment("XDG_CONFIG_HOME"), !xdg.isEmpty { return xdg + "/mptop/config" }
        if let home = environment("HOME"), !home.isEmpty { return home + "/.config/mptop/config" }
        return nil
    }

    /// The settings in `text`, and the line numbers of keys it did not know.
    public static func parse(_ text: String, path: String) throws -> (DashboardSettings, unknownLines: [Int]) {
        var s = DashboardSettings()
        var unknown: [Int] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = n + 1
            let content = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            if content.trimmingWhitespace().isEmpty { continue }
            guard let eq = content.firstIndex(of: "=") else {
                throw ParseError(path: path, line: line, message: "expected 'key = value'")
            }
            let key = content[..<eq].trimmingWhitespace(), value = content[content.index(after: eq)...].trimmingWhitespace()
            func bad(_ what: String) -> ParseError { ParseError(path: path, line: line, message: "'\(key)' takes \(what)") }
            switch key {
            case "theme":
                guard !value.isEmpty, value.count <= 255, !value.contains("/"), value.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7f })
                else { throw bad("a theme name (see --list-themes)") }
                s.theme = value
            case "sort":
                if value == "none" { s.sort = .some(nil) } else {
                    guard let c = SortColumn(rawValue: value) else {
                        throw bad("none or one of: " + SortColumn.allCases.map(\.rawValue).joined(separator: ", "))
                    }
                    s.sort = .some(c)
                }
            case "reverse":
                guard let b = bool(value) else { throw bad("yes or no") }
                s.sortReversed = b
            case "interval":
                guard let v = Double(value), v.isFinite, v >= 0.1, v <= 3600 else { throw bad("seconds between 0.1 and 3600") }
                s.interval = v
            case "columns":
                let names = value.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
                let columns = names.compactMap(ListColumn.init(name:))
                guard columns.count == names.count, !columns.isEmpty else {
                    throw bad("a comma-separated list of: " + ListColumn.allCases.map(\.name).joined(separator: ", "))
                }
                s.columns = columns
            case "keep-closed":
                guard let v = Double(value), v.isFinite, v >= 0, v <= 86400 else { throw bad("seconds between 0 and 86400") }
                s.keepClosed = v
            case "share":
                guard let m = ShareMode(rawValue: value) else { throw bad("recent or since-start") }
                s.shareMode = m
            default:
                unknown.append(line)
            }
        }
        return (s, unknown)
    }

    private static func bool(_ v: String) -> Bool? {
        switch v.lowercased() {
        case "yes", "true", "on", "1": return true
        case "no", "false", "off", "0": return false
        default: return nil
        }
    }

    /// The file's text for `s` (only what is set).
    public static func render(_ s: DashboardSettings) -> String {
        var lines = ["# mptop dashboard settings, rewritten when you change them in the dashboard.",
                     "# Flags override them. Keys: theme, sort, reverse, interval, columns, keep-closed, share."]
        if let t = s.theme { lines.append("theme = \(t)") }
        if let sort = s.sort { lines.append("sort = \(sort?.rawValue ?? "none")") }
        if let r = s.sortReversed { lines.append("reverse = \(r ? "yes" : "no")") }
        if let i = s.interval { lines.append("interval = \(Units.fixed(i, decimals: i < 1 ? 2 : 1))") }
        if let c = s.columns { lines.append("columns = " + c.map(\.name).joined(separator: ",")) }
        if let k = s.keepClosed { lines.append("keep-closed = \(Units.fixed(k, decimals: 0))") }
        if let m = s.shareMode { lines.append("share = \(m.rawValue)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Reads the settings at `path`; nil settings when there is no file. Refuses a file that is
    /// not a regular file, is owned by someone other than this user or root, or that others may
    /// write: mptop often runs as root, and whoever writes this file picks what it does.
    public static func load(path: String) throws -> (DashboardSettings, notes: [String]) {
        // Checked on the descriptor that is then read, so the file cannot be swapped in between;
        // never through a symlink, and a FIFO cannot block the open.
        let fd: FileDescriptor
        do throws(Errno) {
            fd = try Errno.catching { try FileDescriptor.open(FilePath(path), .readOnly, options: [.noFollow, .nonBlocking, .closeOnExec]) }
        } catch {
            if error == .noSuchFileOrDirectory { return (DashboardSettings(), []) }
            throw ParseError(path: path, line: nil, message: error == .tooManySymbolicLinkLevels ? "not a regular file; not read" : error.text)
        }
        defer { try? fd.close() }
        let st: Stat
        do { st = try fd.stat() } catch { throw ParseError(path: path, line: nil, message: error.text) }
        guard st.type == .regular else { throw ParseError(path: path, line: nil, message: "not a regular file; not read") }
        guard st.userID.rawValue == geteuid() || st.userID.rawValue == 0, st.permissions.rawValue & 0o022 == 0 else {
            throw ParseError(path: path, line: nil, message: "owned by another user or writable by others; not read")
        }
        let text: String
        do { text = try TextFile.read(descriptor: fd, path: path, limit: 64 * 1024) } catch let e as TextFile.ReadError {
            throw ParseError(path: path, line: nil, message: e.reason)
        }
        let (settings, unknown) = try parse(text, path: path)
        return (settings, unknown.map { "config \(path), line \($0): unknown setting ignored" })
    }

    /// Writes `s` to `path` atomically (a new file renamed over the old one), mode 0600, creating
    /// the folder (0700) when missing. Refuses to write into a folder this user does not own:
    /// `sudo mptop` with a user's HOME would leave root-owned files in that user's home.
    public static func save(_ s: DashboardSettings, path: String) throws {
        let dir = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        func fail(_ what: String) -> ParseError { ParseError(path: path, line: nil, message: what) }
        if !dir.isEmpty {
            let parent = String(dir[..<(dir.lastIndex(of: "/") ?? dir.startIndex)])
            // The config home ($XDG_CONFIG_HOME or ~/.config), then mptop's folder in it: each
            // made 0700 when missing, and used only when it is ours.
            for folder in [parent, dir] where !folder.isEmpty {
                var st = stat()
                if stat(folder, &st) != 0 {
                    if mkdir(folder, 0o700) != 0 && errno != EEXIST { throw fail("cannot create \(folder): \(Errno.current.text)") }
                } else if st.st_uid != geteuid() {
                    throw fail("\(folder) is not yours; settings not saved")
                }
            }
        }
        do {
            try AtomicFile.replace(path, through: path + ".new-\(getpid())", leftover: .refuse, mode: 0o600, with: Array(render(s).utf8))
        } catch {
            throw fail("cannot write: \(error.errno.text)")
        }
    }
}
