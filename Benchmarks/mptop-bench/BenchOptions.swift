// mptop-bench's command line, on swift-argument-parser like mptop's own: `--help` lists every
// scenario, and a bad value is one line naming the option.
import ArgumentParser

struct BenchOptions: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mptop-bench",
        abstract: "Time mptop next to a bare netlink dump and ss, at thousands of MPTCP connections (root: it builds a lab).",
        discussion: """
        With no scenario: one sample, the whole mptop processes (--once --json, the table, a \
        ten-sample stream) and ss, at each --connections size (default 1000,5000).

        Scenarios (one at a time; --connections picks the sizes, their default in brackets):
          --exporter          also a Prometheus scrape, in process and over HTTP
          --dashboard SECS    also the real dashboard in tmux for SECS seconds
          --scaling           cost per connection [1000,5000,10000,20000]
          --writers           the output writers alone, no lab, no root [10000]
          --owners            the cold owner scan, both ways, no lab [10000]
          --busy-host N       1,000 MPTCP connections among N plain TCP sockets [1000]
          --churn SECS        connections opened and closed under both front ends
          --record SECS       what a recording costs on disk and in CPU [1000]
          --hold SECS         a lab held for profiling by hand [10000]
        MPTOP_BINARY names the mptop to measure (default: next to this one), MPTOP_BASELINE an \
        older one to run in the same rounds.
        """)

    @Option(name: .customLong("connections"), help: ArgumentHelp("Sizes to measure, like 1000,5000.", valueName: "N,N..."),
            transform: BenchOptions.sizeList)
    var connectionSizes: [Int]?

    @Option(help: "Rounds per measure (medians are reported).")
    var rounds = 15

    @Option(name: .customLong("process-rounds"), help: "Rounds of whole mptop processes (0: none).")
    var processRounds = 5

    @Option(name: .customLong("dashboard"), help: ArgumentHelp("Run the dashboard for this long too.", valueName: "secs"))
    var dashboardSeconds: Int?

    @Flag(help: "Also time a Prometheus scrape (needs a release mptop-exporter next to mptop, and curl).")
    var exporter = false

    @Option(name: .customLong("churn"), help: ArgumentHelp("Measure connection churn for this long.", valueName: "secs"))
    var churnSeconds: Int?

    @Option(name: .customLong("churn-rate"), help: "Connections opened a second under --churn.")
    var churnRate = 500.0

    @Flag(help: "Time the output writers on a synthetic snapshot (no lab, no root).")
    var writers = false

    @Option(name: .customLong("record"), help: ArgumentHelp("Measure recording for this long.", valueName: "secs"))
    var recordSeconds: Int?

    @Option(name: .customLong("record-rate"), help: "Traffic rate under --record, as mptop traffic send takes it.")
    var recordRate = "50k"

    @Flag(help: "Time the cold owner scan, BPF iterator and /proc (no lab).")
    var owners = false

    @Option(name: .customLong("busy-host"), help: ArgumentHelp("Plain TCP sockets beside the MPTCP ones.", valueName: "n"))
    var busyHost: Int?

    @Flag(help: "Cost per connection at each size.")
    var scaling = false

    @Option(name: .customLong("hold"), help: ArgumentHelp("Hold a lab open for this long and print its namespace.", valueName: "secs"))
    var holdSeconds: Int?

    /// The sizes given with --connections, or the scenario's own.
    func sizes(or scenarioDefault: [Int]) -> [Int] { connectionSizes ?? scenarioDefault }

    static func sizeList(_ text: String) throws -> [Int] {
        let sizes = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0) }
        guard !sizes.isEmpty, sizes.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw ValidationError("--connections takes numbers above 0 like 1000,5000, not '\(text)'")
        }
        return sizes.compactMap { $0 }
    }

    func validate() throws {
        guard rounds > 0 else { throw ValidationError("--rounds takes a number above 0") }
        guard processRounds >= 0 else { throw ValidationError("--process-rounds takes a number (0: no whole processes)") }
        if let d = dashboardSeconds, d < 5 { throw ValidationError("--dashboard takes seconds, at least 5") }
        if let d = churnSeconds, d < 1 { throw ValidationError("--churn takes seconds, at least 1") }
        guard churnRate > 0, churnRate <= 5000 else { throw ValidationError("--churn-rate takes connections per second, 1 to 5000") }
        if let d = recordSeconds, d < 5 { throw ValidationError("--record takes seconds, at least 5") }
        if let p = busyHost, !(1000...400_000).contains(p) {
            throw ValidationError("--busy-host takes a number of plain TCP sockets, 1000 to 400000")
        }
        if let d = holdSeconds, d < 1 { throw ValidationError("--hold takes seconds, at least 1") }
    }
}
