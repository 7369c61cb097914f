// swift-tools-version:6.0
import PackageDescription

// mptop: a live terminal dashboard for Linux Multipath TCP.
// No third-party dependencies: the kernel side is raw netlink, and a cold build stays fast.
let package = Package(
    name: "mptop",
    products: [
        .executable(name: "mptop", targets: ["mptop"]),
        // For the fuzz package (Fuzz/), which builds its targets against these with libFuzzer.
        .library(name: "MPTCPKit", targets: ["MPTCPKit"]),
        .library(name: "Dashboard", targets: ["Dashboard"]),
    ],
    targets: [
        // C shim: only what Swift cannot import from Glibc (sockaddr_nl, setns).
        .target(name: "CNetlink"),
        // Kernel side, no UI: netlink transport, decoders, model, sampler, rates.
        .target(name: "MPTCPKit", dependencies: ["CNetlink"]),
        // ncurses (ncursesw from libncursesw5-dev): only Sources/mptop/Terminal.swift imports it.
        // No pkgConfig: its flags (-D_XOPEN_SOURCE...) are ones SwiftPM refuses; the shim sets what it needs.
        .systemLibrary(name: "CNcurses", providers: [.apt(["libncursesw5-dev"])]),
        // The dashboard without a terminal: view model, keys, layout, themes, rendering into a cell grid.
        .target(name: "Dashboard", dependencies: ["MPTCPKit"]),
        // Lab side: network namespaces, veth paths, tc shaping, the MPTCP traffic generator.
        .target(name: "LabKit", dependencies: ["CNetlink", "MPTCPKit"]),
        // The command-line tool.
        .executableTarget(name: "mptop", dependencies: ["MPTCPKit", "Dashboard", "LabKit", "CNcurses"]),
        // Benchmark of one full sample against ss (run by hand, not a test).
        .executableTarget(name: "mptop-bench", dependencies: ["MPTCPKit", "Dashboard", "LabKit"], path: "Benchmarks/mptop-bench"),
        .testTarget(name: "MPTCPKitTests", dependencies: ["MPTCPKit"], exclude: ["Fixtures"]),
        .testTarget(name: "DashboardTests", dependencies: ["Dashboard", "MPTCPKit"], exclude: ["Snapshots"]),
        .testTarget(name: "LabTests", dependencies: ["MPTCPKit", "LabKit", "mptop"]),
    ]
)
