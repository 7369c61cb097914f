import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// The names in a directory (without "." and ".."), for the scans of /proc, /run/netns and
/// mptop's own state directories.
public enum DirectoryEntries {
    /// Nil when the directory cannot be opened (errno tells why).
    public static func names(_ path: String) -> [String]? {
        guard let dir = opendir(path) else { return nil }
        defer { closedir(dir) }
        return names(dir)
    }

    /// The names in the directory open as `fd` (which stays open; the listing uses a copy).
    public static func names(descriptor fd: FileDescriptor) -> [String]? {
        guard let copy = try? fd.duplicate() else { return nil }
        guard let dir = fdopendir(copy.rawValue) else { try? copy.close(); return nil }
        defer { closedir(dir) }
        rewinddir(dir)
        return names(dir)
    }

    private static func names(_ dir: OpaquePointer) -> [String] {
        var out: [String] = []
        while let e = readdir(dir) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { out.append(name) }
        }
        return out
    }
}
