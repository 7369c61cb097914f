import Dashboard
import MPTCPKit

enum ReplayDashboard {
    static func run(_ reader: RecordingReader, _ o: MonitorOptions, from: Double?) throws {
        throw MPTopError.usage("the replay dashboard is not built yet; use --json")
    }
}
