/// One folder themes are looked for in, and why it is on the list (`--list-themes` says so,
/// which tells a user whether a theme is theirs, the installed package's or a checkout's).
public struct ThemeDirectory: Sendable, Equatable {
    public enum Origin: String, Sendable {
        /// `--themes-dir DIR`.
        case option = "--themes-dir"
        /// `$XDG_CONFIG_HOME/mptop/themes` or `~/.config/mptop/themes`.
        case user
        /// `<prefix>/share/mptop/themes` beside an installed `<prefix>/bin/mptop`.
        case installed
        /// The source checkout's `Themes/`, for a binary `swift build` left in `.build`.
        case checkout
    }

    public let path: String
    public let origin: Origin

    public init(path: String, origin: Origin) {
        self.path = path
        self.origin = origin
    }

    /// Where the themes that ship with mptop are, worked out from the running binary's own
    /// path (`/proc/self/exe`, links resolved) and never from a path compiled into it, so a
    /// package or a copied tree finds its own files and not the build machine's:
    /// - a binary inside a SwiftPM build folder (`<checkout>/.build/<config>/mptop`, or
    ///   `.build/<triple>/<config>/`, or a `--build-path .build-*`) is a checkout build:
    ///   `<checkout>/Themes`, so `swift run` from a clone works;
    /// - any other `<prefix>/bin/mptop`: `<prefix>/share/mptop/themes` (`/usr` for the Debian
    ///   package, `/usr/local` or `/opt/mptop` for a copied tree).
    /// Nil when the path has no folder to start from.
    public static func bundled(executablePath: String) -> ThemeDirectory? {
        var folders = executablePath.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard folders.count >= 3, folders[0].isEmpty else { return nil }  // "/<dir>/<file>" at least
        folders.removeLast()  // the binary's own name
        // Up to three levels: .build/<triple>/<config>/ is the deepest SwiftPM goes.
        if let build = folders.indices.reversed().prefix(3).first(where: { folders[$0].hasPrefix(".build") }), build > 0 {
            return ThemeDirectory(path: join(folders[..<build]) + "/Themes", origin: .checkout)
        }
        folders.removeLast()  // the binary's folder, "bin" when installed
        return ThemeDirectory(path: join(folders[...]) + "/share/mptop/themes", origin: .installed)
    }

    private static func join(_ parts: ArraySlice<String>) -> String { parts.joined(separator: "/") }
}
