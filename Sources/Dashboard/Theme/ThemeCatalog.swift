import MPTCPKit
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// Where themes come from, first match wins: `--themes-dir`, then
/// `$XDG_CONFIG_HOME/mptop/themes` (or `~/.config/mptop/themes`), then the ones that ship with
/// mptop, found from the running binary (see `ThemeDirectory.bundled`).
public struct ThemeCatalog: Sendable {
    public struct Entry: Sendable, Equatable {
        public let name: String
        public let path: String
        public let origin: ThemeDirectory.Origin
    }

    public let directories: [ThemeDirectory]

    public init(directories: [ThemeDirectory]) { self.directories = directories }

    /// The standard search path for this process.
    public static func standard(themesDirectory: String?, environment: (String) -> String? = { getenv($0).map { String(cString: $0) } },
                                executablePath: String? = nil) -> ThemeCatalog {
        var dirs: [ThemeDirectory] = []
        if let themesDirectory { dirs.append(ThemeDirectory(path: themesDirectory, origin: .option)) }
        if let xdg = environment("XDG_CONFIG_HOME"), !xdg.isEmpty {
            dirs.append(ThemeDirectory(path: xdg + "/mptop/themes", origin: .user))
        } else if let home = environment("HOME"), !home.isEmpty {
            dirs.append(ThemeDirectory(path: home + "/.config/mptop/themes", origin: .user))
        }
        if let exe = executablePath ?? RunningExecutable.path, let bundled = ThemeDirectory.bundled(executablePath: exe) {
            dirs.append(bundled)
        }
        return ThemeCatalog(directories: dirs)
    }

    /// Every theme found, by file name without `.theme`; an earlier directory hides a later
    /// one's theme of the same name (a user's copy of "default" wins).
    public func available() -> [Entry] {
        var seen = Set<String>()
        var out: [Entry] = []
        for dir in directories {
            for file in Self.files(in: dir.path) where file.hasSuffix(".theme") {
                let name = String(file.dropLast(6))
                if seen.insert(name).inserted { out.append(Entry(name: name, path: dir.path + "/" + file, origin: dir.origin)) }
            }
        }
        // "default" first, the rest alphabetically: the order `t` cycles through.
        return out.sorted { a, b in
            a.name == "default" || b.name == "default" ? a.name == "default" && b.name != "default" : a.name < b.name
        }
    }

    /// A theme by name, or by path when the argument contains a '/'.
    public func load(_ nameOrPath: String) throws -> Theme {
        if nameOrPath.contains("/") { return try Self.load(path: nameOrPath) }
        guard let entry = available().first(where: { $0.name == nameOrPath }) else {
            let names = available().map(\.name)
            throw ThemeError(path: nameOrPath, line: nil, message: names.isEmpty
                ? "no such theme, and no theme folder was found (--themes-dir DIR)"
                : "no such theme (available: \(names.joined(separator: ", ")))")
        }
        return try Self.load(path: entry.path)
    }

    public static func load(path: String) throws -> Theme {
        let text: String
        do {
            guard let found = try TextFile.read(path) else {
                throw ThemeError(path: path, line: nil, message: "cannot read it: \(Errno.noSuchFileOrDirectory.text)")
            }
            text = found
        } catch let e as TextFile.ReadError {
            throw ThemeError(path: path, line: nil, message: "cannot read it: \(e.reason)")
        }
        let file = path.split(separator: "/").last.map(String.init) ?? path
        return try ThemeParser.parse(text, path: path, fallbackName: file.hasSuffix(".theme") ? String(file.dropLast(6)) : file)
    }

    static func files(in dir: String) -> [String] {
        guard let d = opendir(dir) else { return [] }
        defer { closedir(d) }
        var out: [String] = []
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if !name.hasPrefix(".") { out.append(name) }
        }
        return out
    }
}
