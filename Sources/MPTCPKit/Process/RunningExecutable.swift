#if canImport(Glibc)
import Glibc
#endif

/// The file this process was started from (`/proc/self/exe`): where mptop finds what ships
/// beside it (themes), and what it runs when it needs itself again (the demo's traffic
/// generator), instead of a path from the environment or the working directory, which as root
/// would run whatever a user left there.
public enum RunningExecutable {
    public static var path: String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
