// swift-tools-version:6.0
import PackageDescription

// mptop: a live terminal dashboard for Linux Multipath TCP.
// The kernel side is raw netlink. `mptop` itself uses two packages, neither with dependencies of
// its own: swift-argument-parser for its command line (help, usage errors, shell completions and
// the man page come from one declaration of each command), and apple/swift-system for files,
// descriptors and errno (FileDescriptor, Errno, FilePath: each call wrapped once, retried on
// EINTR; SwiftNIO depends on it already, so it adds nothing to resolve). Only the Prometheus exporter
// (`mptop-exporter`) uses more: SwiftNIO's HTTP/1 server and swift-prometheus, chosen for their
// small dependency graph (7 packages to resolve; Hummingbird would be 26):
// `swift build --product mptop` compiles none of those.
let system: Target.Dependency = .product(name: "SystemPackage", package: "swift-system")

let package = Package(
    name: "mptop",
    products: [
        .executable(name: "mptop", targets: ["mptop"]),
        .executable(name: "mptop-exporter", targets: ["mptop-exporter"]),
        // For the fuzz package (Fuzz/), which builds its targets against these with libFuzzer.
        .library(name: "MPTCPKit", targets: ["MPTCPKit"]),
        .library(name: "Output", targets: ["Output"]),
        .library(name: "Dashboard", targets: ["Dashboard"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
    ],
    targets: [
        // C shim: only what Swift cannot import from Glibc (sockaddr_nl, setns).
        .target(name: "CNetlink"),
        // The system's zlib (zlib1g-dev), for recordings: compression and CRC32 from the library
        // every Debian system has, rather than a package that would bring SwiftNIO into mptop.
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        // Kernel side, no UI: netlink transport, decoders, model, sampler, rates, recordings, actions.
        // Its Text/ folder holds only the vocabulary its own messages need too (escaping names for a
        // terminal, numbers as a person reads them, digits into a byte buffer); no report layouts.
        .target(name: "MPTCPKit", dependencies: ["CNetlink", "CZlib", system]),
        // What mptop writes for people and scripts: the text tables and JSON of snapshots, diagnosis,
        // events and failover reports, the replay's JSON, the `mptop report` bundle, and Console
        // (stdout/stderr with write(2)). Every command, the dashboard and the lab write through it.
        .target(name: "Output", dependencies: ["MPTCPKit", system]),
        // ncurses (ncursesw from libncursesw5-dev): only Sources/mptop/Terminal.swift imports it.
        // No pkgConfig: its flags (-D_XOPEN_SOURCE...) are ones SwiftPM refuses; the shim sets what it needs.
        .systemLibrary(name: "CNcurses", providers: [.apt(["libncursesw5-dev"])]),
        // The dashboard without a terminal: view model, keys, layout, themes, rendering into a cell grid.
        .target(name: "Dashboard", dependencies: ["MPTCPKit", "Output", system]),
        // Lab side: network namespaces, veth paths, tc shaping, the MPTCP traffic generator.
        .target(name: "LabKit", dependencies: ["CNetlink", "MPTCPKit", "Output", system]),
        // The command-line tool (its commands declared with ArgumentParser).
        .executableTarget(name: "mptop", dependencies: [
            "MPTCPKit", "Output", "Dashboard", "LabKit", "CNcurses", system,
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // The exporter's model without HTTP: per-scrape collection, counters that survive subflow
        // churn, the exposition text. Pure apart from the sampling it is handed.
        .target(name: "Exporter", dependencies: ["MPTCPKit", .product(name: "Prometheus", package: "swift-prometheus")]),
        // The Prometheus exporter: flags (ArgumentParser), namespace workers, HTTP (SwiftNIO), textfile mode.
        .executableTarget(name: "mptop-exporter", dependencies: [
            "Exporter", "MPTCPKit", "Output",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Benchmark of one full sample against ss (run by hand, not a test).
        .executableTarget(name: "mptop-bench", dependencies: [
            "MPTCPKit", "Output", "Dashboard", "Exporter", "LabKit",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Benchmarks/mptop-bench"),
        // What more than one test target uses (a test target cannot import another).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "MPTCPKitTests", dependencies: ["MPTCPKit", "Output", "TestSupport", system], exclude: ["Fixtures"]),
        .testTarget(name: "DashboardTests", dependencies: ["Dashboard", "MPTCPKit", "Output", "TestSupport"], exclude: ["Snapshots"]),
        .testTarget(name: "ExporterTests", dependencies: ["Exporter", "MPTCPKit"]),
        .testTarget(name: "LabTests", dependencies: ["MPTCPKit", "Output", "LabKit", "mptop", "mptop-exporter"], exclude: ["Snapshots"]),
    ]
)
