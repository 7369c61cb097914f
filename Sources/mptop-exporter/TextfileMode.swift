import Exporter
import MPTCPKit
#if canImport(Glibc)
import Glibc
#endif

/// `--textfile PATH --interval S`: no HTTP; the same text written every S seconds for
/// node_exporter's textfile collector, atomically (a temporary file in the same directory,
/// renamed over PATH), so the collector never reads half a file.
enum TextfileMode {
    static func run(path: String, interval: Double, fleet: Fleet) async throws {
        while true {
            let text = await fleet.scrape()
            try AtomicFile.write(text, to: path)
            try await Task.sleep(nanoseconds: UInt64(interval * 1e9))
        }
    }
}
