import Foundation
import LabKit
import XCTest

/// The Debian package `Packaging/build-deb.sh` makes, unpacked into a temporary root
/// (`dpkg-deb -x`) and run from there with an environment that has neither the Swift toolchain
/// (PATH is the system's directories only) nor the checkout (working directory /, an empty
/// HOME), so neither can be what makes it work.
final class DebianPackageTests: XCTestCase {
    static let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../..").standardized.path
    /// Links resolved: the binaries see their own path as /proc/self/exe gives it.
    static let work = URL(fileURLWithPath: NSTemporaryDirectory()).resolvingSymlinksInPath().path + "/mptop-deb-\(getpid())"

    struct Unpacked: Sendable {
        let deb: String
        let root: String
        let home: String
        func binary(_ tool: String) -> String { root + "/usr/bin/" + tool }
    }

    /// Built once for the class: the static release build takes minutes (an incremental one,
    /// in the checkout's .build-deb/, seconds).
    static let built = Result<Unpacked, Error> { try build() }

    override class func tearDown() {
        try? FileManager.default.removeItem(atPath: work)
        super.tearDown()
    }

    private static func build() throws -> Unpacked {
        let out = work + "/out", root = work + "/root", home = work + "/home"
        for dir in [out, root, home] { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        // The script needs the toolchain, which ShellCommand's system PATH does not have.
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let result = try ShellCommand.run("env", ["PATH=\(path)", "bash", checkout + "/Packaging/build-deb.sh", out], timeout: 3600)
        guard result.status == 0, let deb = result.stdout.split(separator: "\n").last.map(String.init) else {
            throw TestFailure("build-deb.sh failed (exit \(result.status)): \(result.stderr.suffix(2000))")
        }
        try ShellCommand.check("dpkg-deb", ["-x", deb, root])
        return Unpacked(deb: deb, root: root, home: home)
    }

    private func unpacked() throws -> Unpacked {
        for (tool, package) in [("dpkg-deb", "dpkg"), ("dpkg-shlibdeps", "dpkg-dev")] where ShellCommand.locate(tool) == nil {
            throw XCTSkip("\(tool) is not installed (apt install \(package)): the package cannot be built here")
        }
        return try Self.built.get()
    }

    /// Runs an unpacked binary from /, with the system PATH, an empty HOME and nothing else.
    private func run(_ package: Unpacked, _ tool: String, _ arguments: [String]) throws -> ShellCommand.Output {
        try ShellCommand.run("env", ["-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=\(package.home)", "LANG=C.UTF-8",
                                     "sh", "-c", "cd / && exec \"$0\" \"$@\"", package.binary(tool)] + arguments, timeout: 30)
    }

    func testBinariesNeedNoSwiftRuntimeLibraries() throws {
        let package = try unpacked()
        for tool in ["mptop", "mptop-exporter"] {
            let ldd = try ShellCommand.check("ldd", [package.binary(tool)])
            for library in ["libswift", "libFoundation", "lib_Foundation", "libdispatch", "libBlocksRuntime", "libicu", "not found"] {
                XCTAssertFalse(ldd.contains(library), "\(tool) needs \(library):\n\(ldd)")
            }
            if ShellCommand.locate("readelf") != nil {
                let dynamic = try ShellCommand.check("readelf", ["-d", package.binary(tool)])
                XCTAssertFalse(dynamic.contains("RUNPATH") || dynamic.contains("RPATH"), "\(tool) loads libraries from beside itself:\n\(dynamic)")
            }
        }
        let version = try run(package, "mptop", ["--version"])
        XCTAssertEqual(version.status, 0, version.stderr)
        XCTAssertEqual(version.stdout, "mptop \(try field("Version", of: package))\n")
        let help = try run(package, "mptop-exporter", ["--help"])
        XCTAssertEqual(help.status, 0, help.stderr)
        XCTAssertTrue(help.stdout.contains("--textfile"), help.stdout)
    }

    func testThemesComeFromThePackageNotTheCheckout() throws {
        let package = try unpacked()
        let listed = try run(package, "mptop", ["--list-themes"])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        let rows = listed.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        XCTAssertEqual(rows.map { $0.first ?? "" }, ["default", "high-contrast", "light", "mono"], listed.stdout)
        for row in rows {
            XCTAssertEqual(row.dropFirst().first, "installed", listed.stdout)
            XCTAssertEqual(row.last, package.root + "/usr/share/mptop/themes/\(row[0]).theme", listed.stdout)
        }
        // The same binary in a tree without themes finds none: no path to the checkout's.
        let bare = Self.work + "/bare"
        try FileManager.default.createDirectory(atPath: bare + "/usr/bin", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: bare) }
        try FileManager.default.copyItem(atPath: package.binary("mptop"), toPath: bare + "/usr/bin/mptop")
        let none = try run(Unpacked(deb: package.deb, root: bare, home: package.home), "mptop", ["--list-themes"])
        XCTAssertEqual(none.stdout, "no themes found; searched: \(package.home)/.config/mptop/themes, \(bare)/usr/share/mptop/themes\n")
        XCTAssertFalse(none.stdout.contains(Self.checkout), none.stdout)
    }

    func testExporterManPageAndCompletions() throws {
        try checkManPageAndCompletions(of: "mptop-exporter", in: try unpacked())
    }

    /// Needs mptop's swift-argument-parser command line (the `cli` branch) to generate them.
    func testMptopManPageAndCompletions() throws {
        try checkManPageAndCompletions(of: "mptop", in: try unpacked())
    }

    private func checkManPageAndCompletions(of tool: String, in package: Unpacked, file: StaticString = #filePath, line: UInt = #line) throws {
        let share = package.root + "/usr/share"
        let page = share + "/man/man1/\(tool).1.gz"
        XCTAssertTrue(FileManager.default.fileExists(atPath: page), "no man page \(page)", file: file, line: line)
        if FileManager.default.fileExists(atPath: page), ShellCommand.locate("man") != nil {
            let man = try ShellCommand.run("env", ["MANWIDTH=80", "man", "-l", page])
            XCTAssertEqual(man.status, 0, man.stderr, file: file, line: line)
            XCTAssertTrue(man.stdout.contains("NAME") && man.stdout.contains("SYNOPSIS") && man.stdout.contains(tool), man.stdout, file: file, line: line)
        }
        let completions = [
            (share + "/bash-completion/completions/\(tool)", "-F _\(tool) \(tool)"),
            (share + "/zsh/vendor-completions/_\(tool)", "#compdef \(tool)"),
            (share + "/fish/vendor_completions.d/\(tool).fish", "complete -c '\(tool)'"),
        ]
        for (path, marker) in completions {
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            XCTAssertTrue(text.contains(marker), "\(path) is missing or lacks \"\(marker)\"", file: file, line: line)
        }
        // bash loads it and registers a completion for the command.
        let bash = completions[0].0
        if FileManager.default.fileExists(atPath: bash) {
            let loaded = try ShellCommand.run("bash", ["-c", "source \"$0\" && complete -p \(tool)", bash])
            XCTAssertEqual(loaded.status, 0, loaded.stderr, file: file, line: line)
        }
    }

    func testControlFieldsAndFileOwnership() throws {
        let package = try unpacked()
        XCTAssertEqual(try field("Package", of: package), "mptop")
        XCTAssertEqual(try field("Architecture", of: package), try ShellCommand.check("dpkg", ["--print-architecture"]).trimmingCharacters(in: .whitespacesAndNewlines))
        let depends = try field("Depends", of: package)
        for needed in ["libc6", "libncursesw6", "libtinfo6", "iproute2"] { XCTAssertTrue(depends.contains(needed), depends) }
        XCTAssertFalse(depends.contains("swift"), depends)
        XCTAssertEqual(try field("Recommends", of: package), "nftables")

        let contents = try ShellCommand.check("dpkg-deb", ["--contents", package.deb]).split(separator: "\n")
        XCTAssertFalse(contents.isEmpty)
        for entry in contents {
            let columns = entry.split(separator: " ", omittingEmptySubsequences: true)
            guard columns.count >= 6 else { XCTFail("unexpected line: \(entry)"); continue }
            let (mode, owner, path) = (String(columns[0]), String(columns[1]), String(columns[5]))
            XCTAssertEqual(owner, "root/root", String(entry))
            let expected = mode.hasPrefix("d") ? "drwxr-xr-x" : path.hasPrefix("./usr/bin/") ? "-rwxr-xr-x" : "-rw-r--r--"
            XCTAssertEqual(mode, expected, String(entry))
        }
        let paths = Set(contents.compactMap { $0.split(separator: " ").last.map(String.init) })
        for path in ["./usr/bin/mptop", "./usr/bin/mptop-exporter", "./usr/share/doc/mptop/copyright", "./usr/share/doc/mptop/changelog.Debian.gz"] {
            XCTAssertTrue(paths.contains(path), "\(path) is not in the package")
        }
    }

    /// `mptop --once` from the unpacked root sees a lab's MPTCP connection, made by the
    /// unpacked root's own traffic generator.
    func testOnceSeesALabConnection() throws {
        let package = try unpacked()
        let lab = try makeLab()
        let traffic = try lab.startTraffic(mptop: package.binary("mptop"))
        defer { _ = traffic.sender.stop(); _ = traffic.server.stop() }
        var last = ""
        let seen = try waitUntil(timeout: 8) {
            let once = try run(package, "mptop", ["--once", "--json", "--netns", lab.clientNamespace])
            XCTAssertEqual(once.status, 0, once.stderr)
            last = once.stdout
            let report = try JSONObject(parsing: once.stdout)
            return report.objects("connections").contains { $0.string("state") == "ESTAB" && !$0.objects("subflows").isEmpty }
        }
        XCTAssertTrue(seen, "no established MPTCP connection with subflows in: \(last.prefix(2000))")
    }

    private func field(_ name: String, of package: Unpacked) throws -> String {
        try ShellCommand.check("dpkg-deb", ["--field", package.deb, name]).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
