@testable import Dashboard
import Foundation
import XCTest

final class ThemeTests: XCTestCase {
    /// The checkout's Themes/, as the tests see it (the tests always run from a checkout).
    static let checkoutThemes = ThemeDirectory(
        path: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Themes").standardized.path,
        origin: .checkout)

    func testParsesColoursBackgroundsAndAttributes() throws {
        let t = try ThemeParser.parse("""
            # comment
            name = Test
            text = #102030
            selected = black on bright-yellow bold
            border = 244 dim
            header = default on 17 reverse underline
            """, path: "t.theme", fallbackName: "t")
        XCTAssertEqual(t.name, "Test")
        XCTAssertEqual(t.style(.text), Style(.rgb(0x10, 0x20, 0x30)))
        XCTAssertEqual(t.style(.selected), Style(.ansi(0), on: .ansi(11), .bold))
        XCTAssertEqual(t.style(.border), Style(.indexed(244), on: .terminalDefault, .dim))
        XCTAssertEqual(t.style(.header), Style(.terminalDefault, on: .indexed(17), [.reverse, .underline]))
        XCTAssertEqual(t.style(.good), ThemeRole.good.fallback, "missing keys fall back")
    }

    /// The error parsing `text` as the theme at `path` gives, or "no error".
    private func parseError(_ text: String, path: String) -> String {
        do {
            _ = try ThemeParser.parse(text, path: path, fallbackName: "bad")
            return "no error"
        } catch { return "\(error)" }
    }

    func testErrorsNameTheFileAndLine() {
        func error(_ text: String) -> String { parseError(text, path: "/x/bad.theme") }
        XCTAssertEqual(error("text = #12345"), "theme /x/bad.theme, line 1: text: bad colour '#12345' (expected #rrggbb)")
        XCTAssertEqual(error("# ok\n\ntext red"), "theme /x/bad.theme, line 3: expected 'key = value'")
        XCTAssertEqual(error("dim = 300"), "theme /x/bad.theme, line 1: dim: colour 300 is out of range 0-255")
        XCTAssertEqual(error("dim = purple"), "theme /x/bad.theme, line 1: dim: unknown colour 'purple' (use default, #rrggbb, 0-255, or a name like red, bright-blue)")
        XCTAssertEqual(error("dim = red on"), "theme /x/bad.theme, line 1: dim: 'on' needs a background colour")
        XCTAssertEqual(error("dim = red blue"), "theme /x/bad.theme, line 1: dim: unexpected 'blue' (expected 'on COLOUR' or bold, dim, reverse, underline)")
    }

    /// `--theme` reads any path, perhaps through sudo: errors give the line number and at most a
    /// short word of theme vocabulary, never the text of a file that is not a theme.
    func testErrorsDoNotEchoWhatAFileThatIsNotAThemeHolds() {
        func error(_ text: String) -> String { parseError(text, path: "/etc/shadow") }
        XCTAssertEqual(error("root:$y$j9T$Qx8secrethash:19700:0:99999:7:::\n"), "theme /etc/shadow, line 1: expected 'key = value'")
        XCTAssertEqual(error("text = $y$j9T$Qx8secrethash"),
                       "theme /etc/shadow, line 1: text: unknown colour name (use default, #rrggbb, 0-255, or a name like red, bright-blue)")
        XCTAssertEqual(error("dim = red AAAAB3NzaC1yc2EAAAADAQABAAABAQC7"),
                       "theme /etc/shadow, line 1: dim: unexpected word (expected 'on COLOUR' or bold, dim, reverse, underline)")
        XCTAssertEqual(error("dim = #a1b2c3d4e5f6a7b8c9d0e1f2a3b4"), "theme /etc/shadow, line 1: dim: bad colour value (expected #rrggbb)")
        XCTAssertEqual(ThemeParser.quoted("sparkle", else: "-"), "'sparkle'")
        XCTAssertEqual(ThemeParser.quoted("AAAAB3NzaC1yc2E+AAAADAQ", else: "-"), "-")
        XCTAssertEqual(ThemeParser.quoted("x\u{1b}[2J", else: "-"), "-")
    }

    func testUnknownKeysAreReportedNotFatal() throws {
        let t = try ThemeParser.parse("text = red\nsparkle = blue\n", path: "t.theme", fallbackName: "t")
        XCTAssertEqual(t.unknownKeys.map(\.key), ["sparkle"])
        XCTAssertEqual(t.unknownKeys.map(\.line), [2])
    }

    func testBundledThemesParseAndCoverEveryRole() throws {
        let catalog = ThemeCatalog(directories: [Self.checkoutThemes])
        let names = catalog.available().map(\.name)
        XCTAssertEqual(names, ["default", "high-contrast", "light", "mono"])
        for name in names {
            let t = try catalog.load(name)
            XCTAssertTrue(t.unknownKeys.isEmpty, "\(name): \(t.unknownKeys)")
            XCTAssertEqual(Set(t.styles.keys), Set(ThemeRole.allCases), "\(name) leaves roles to the fallback")
        }
        let mono = try catalog.load("mono")
        XCTAssertTrue(mono.styles.values.allSatisfy { $0.foreground == .terminalDefault && $0.background == .terminalDefault })
    }

    func testCatalogSearchOrderAndErrors() throws {
        let dir = NSTemporaryDirectory() + "mptop-themes-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "name = Mine\ntext = green\n".write(toFile: dir + "/default.theme", atomically: true, encoding: .utf8)
        try "text = #zzzzzz\n".write(toFile: dir + "/broken.theme", atomically: true, encoding: .utf8)
        let catalog = ThemeCatalog(directories: [ThemeDirectory(path: dir, origin: .user), Self.checkoutThemes])
        XCTAssertEqual(try catalog.load("default").name, "Mine", "a user's theme hides the bundled one")
        XCTAssertThrowsError(try catalog.load("broken")) { XCTAssertTrue("\($0)".hasSuffix("broken.theme, line 1: text: bad colour '#zzzzzz' (expected #rrggbb)")) }
        XCTAssertThrowsError(try catalog.load("nope")) { XCTAssertTrue("\($0)".contains("no such theme (available: default, broken")) }
        XCTAssertThrowsError(try catalog.load(dir + "/missing.theme")) { XCTAssertTrue("\($0)".contains("cannot read it")) }
        XCTAssertEqual(try catalog.load(dir + "/default.theme").name, "Mine", "a path works too")
    }

    func testStandardSearchPath() {
        let env = ["XDG_CONFIG_HOME": "/cfg", "HOME": "/home/u"]
        let c = ThemeCatalog.standard(themesDirectory: "/mine", environment: { env[$0] }, executablePath: "/usr/bin/mptop")
        XCTAssertEqual(c.directories.map(\.path), ["/mine", "/cfg/mptop/themes", "/usr/share/mptop/themes"])
        XCTAssertEqual(c.directories.map(\.origin), [.option, .user, .installed])
        let noXDG = ThemeCatalog.standard(themesDirectory: nil, environment: { $0 == "HOME" ? "/home/u" : nil }, executablePath: "/x/mptop")
        XCTAssertEqual(noXDG.directories.first?.path, "/home/u/.config/mptop/themes")
    }

    /// The bundled themes are found from the binary's own path, for an installed tree and for a
    /// checkout build, and never from where the sources were compiled.
    func testBundledThemesAreFoundRelativeToTheBinary() throws {
        func bundled(_ exe: String) -> ThemeDirectory? { ThemeDirectory.bundled(executablePath: exe) }
        XCTAssertEqual(bundled("/usr/bin/mptop"), ThemeDirectory(path: "/usr/share/mptop/themes", origin: .installed))
        XCTAssertEqual(bundled("/tmp/unpacked/usr/bin/mptop")?.path, "/tmp/unpacked/usr/share/mptop/themes")
        XCTAssertEqual(bundled("/opt/mptop/bin/mptop")?.path, "/opt/mptop/share/mptop/themes")
        XCTAssertEqual(bundled("/src/mptop/.build/debug/mptop"), ThemeDirectory(path: "/src/mptop/Themes", origin: .checkout))
        XCTAssertEqual(bundled("/src/mptop/.build/x86_64-unknown-linux-gnu/release/mptop")?.path, "/src/mptop/Themes")
        XCTAssertEqual(bundled("/src/mptop/.build-deb/release/mptop")?.path, "/src/mptop/Themes")
        XCTAssertEqual(bundled("/home/u/.build/a/b/c/d/bin/mptop")?.origin, .installed, "a .build folder far above is not a build folder")
        XCTAssertNil(bundled("mptop"))
        XCTAssertNil(bundled("/mptop"))

        // A fake installed tree, found by the standard catalog from the binary's path alone.
        let prefix = NSTemporaryDirectory() + "mptop-prefix-\(getpid())"
        try FileManager.default.createDirectory(atPath: prefix + "/share/mptop/themes", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: prefix) }
        try "name = Packaged\n".write(toFile: prefix + "/share/mptop/themes/packaged.theme", atomically: true, encoding: .utf8)
        let catalog = ThemeCatalog.standard(themesDirectory: nil, environment: { _ in nil }, executablePath: prefix + "/bin/mptop")
        XCTAssertEqual(catalog.available(), [.init(name: "packaged", path: prefix + "/share/mptop/themes/packaged.theme", origin: .installed)])
        XCTAssertFalse(catalog.directories.contains { $0.path.hasSuffix("/Themes") }, "no checkout path compiled in: \(catalog.directories)")
    }

    func testColourDepthDegrades() {
        XCTAssertEqual(ColorDepth.detect(colors: 16_777_216, noColor: false), .trueColor)
        XCTAssertEqual(ColorDepth.detect(colors: 256, noColor: false), .indexed256)
        XCTAssertEqual(ColorDepth.detect(colors: 8, noColor: false), .ansi16)
        XCTAssertEqual(ColorDepth.detect(colors: 0, noColor: false), .none)
        XCTAssertEqual(ColorDepth.detect(colors: 256, noColor: true), .none)

        let orange = ThemeColor.rgb(0xff, 0xaf, 0x00)
        XCTAssertEqual(ColorDepth.trueColor.number(for: orange), 0xffaf00)
        XCTAssertEqual(ColorDepth.indexed256.number(for: orange), 214)  // xterm 214 is #ffaf00
        XCTAssertEqual(ColorDepth.ansi16.number(for: orange), 3)        // nearest: yellow (205,205,0)
        XCTAssertEqual(ColorDepth.none.number(for: orange), -1)
        XCTAssertEqual(ColorDepth.indexed256.number(for: .rgb(0x80, 0x80, 0x80)), 244, "greys use the grey ramp")
        XCTAssertEqual(ColorDepth.ansi16.number(for: .indexed(196)), 9, "256-colour red becomes bright red")
        XCTAssertEqual(ColorDepth.trueColor.number(for: .indexed(16)), 0x000000)
        XCTAssertEqual(ColorDepth.indexed256.number(for: .terminalDefault), -1)
    }

    func testMonochromeKeepsAttributesAndSelectionVisible() throws {
        let t = try ThemeCatalog(directories: [Self.checkoutThemes]).load("default").monochrome
        XCTAssertEqual(t.style(.selected).foreground, .terminalDefault)
        XCTAssertTrue(t.style(.selected).attributes.contains(.reverse), "a selection without colour is still visible")
        XCTAssertTrue(t.style(.header).attributes.contains(.bold))
    }
}
