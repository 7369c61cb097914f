import MPTCPKit

/// What `mptop [OPTIONS]` was asked to do.
struct MonitorOptions {
    enum Output { case table, json }

    var once = false
    var output: Output = .table
    var interval: Double?
    var count: Int?
    var namespace: String?
    var processes = true
    var help = false
    /// Dashboard only: colour theme (name or path), extra theme folder, no colours, no actions.
    var theme: String?
    var themesDirectory: String?
    var listThemes = false
    var noColor = false
    var readOnly = false
    /// Seconds closed connections and subflows stay on screen, dimmed (nil: the saved setting, else 30).
    var keepClosed: Double?
    var version = false

    static func parse(_ args: [String]) throws -> MonitorOptions {
        var o = MonitorOptions()
        var scan = ArgumentScanner(args)
        while let w = scan.next() {
            switch w {
            case "--once", "-1": o.once = true
            case "--json", "-j": o.output = .json
            case "--interval", "-i", "-d": o.interval = try scan.seconds(for: w)
            case "--count", "-c": o.count = try scan.count(for: w)
            case "--netns", "-n": o.namespace = try scan.namespace(for: w)
            case "--no-processes": o.processes = false
            case "--theme", "-t": o.theme = try scan.value(for: w)
            case "--themes-dir": o.themesDirectory = try scan.value(for: w)
            case "--list-themes": o.listThemes = true
            case "--no-color", "--no-colour": o.noColor = true
            case "--readonly", "--read-only": o.readOnly = true
            case "--keep-closed": o.keepClosed = try scan.seconds(for: w)
            case "--help", "-h": o.help = true
            case "--version", "-V": o.version = true
            default: throw ArgumentScanner.unknown(w)
            }
        }
        if o.once && o.count != nil { throw MPTopError.usage("--once and --count do not go together (--once is --count 1)") }
        return o
    }

    /// The dashboard is for a person at a terminal; pipes, --once, --json and --count get text.
    var wantsDashboard: Bool {
        !once && output == .table && count == nil
    }
}
