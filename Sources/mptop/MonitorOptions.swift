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
            case "--netns", "-n": o.namespace = try scan.value(for: w)
            case "--no-processes": o.processes = false
            case "--help", "-h": o.help = true
            case "--version", "-V": o.version = true
            default: throw ArgumentScanner.unknown(w)
            }
        }
        if o.once && o.count != nil { throw MPTopError.usage("--once and --count do not go together (--once is --count 1)") }
        return o
    }
}
