import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Finds the built `mptop` executable, for tests and tools that run it as a separate process.
public enum MptopBinary {
    /// The path of the `mptop` executable, searched in this order:
    /// 1. `$MPTOP_BINARY`;
    /// 2. next to the running executable, and one directory up (on Linux `swift test` runs
    ///    `.build/debug/mptopPackageTests.xctest`, which may be a bundle directory);
    /// 3. `.build/debug/mptop` relative to the working directory.
    /// Throws a one-line error listing the places it looked.
    public static func path() throws -> String {
        let candidates = candidatePaths()
        for candidate in candidates where isExecutableFile(candidate) {
            return candidate
        }
        throw LabError(.command, "cannot find the mptop executable (looked at \(candidates.joined(separator: ", "))); "
            + "run 'swift build' or set MPTOP_BINARY")
    }

    /// Every place `path()` looks, in order.
    static func candidatePaths() -> [String] {
        var candidates: [String] = []
        if let explicit = ProcessInfo.processInfo.environment["MPTOP_BINARY"], !explicit.isEmpty {
            candidates.append(explicit)
        }
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            let dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
            candidates.append(dir.appendingPathComponent("mptop").path)
            candidates.append(dir.deletingLastPathComponent().appendingPathComponent("mptop").path)
        }
        let cwd = FileManager.default.currentDirectoryPath
        candidates.append(URL(fileURLWithPath: cwd).appendingPathComponent(".build/debug/mptop").path)
        return candidates
    }

    private static func isExecutableFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) != S_IFDIR && access(path, X_OK) == 0
    }
}
