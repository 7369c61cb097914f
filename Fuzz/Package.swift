// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for every decoder of outside input (see README "Fuzzing"). A package of its
// own, so the main package's `swift build` and `swift test` never build or instrument them.
// Build and run with Fuzz/run.sh; the build needs `-sanitize=fuzzer,address`.
let fuzzer = [Target.Dependency.product(name: "MPTCPKit", package: "mptop"), .product(name: "Output", package: "mptop"), "FuzzInput"]
let package = Package(
    name: "mptop-fuzz",
    dependencies: [.package(name: "mptop", path: "..")],
    targets: [
        // Splitting fuzz bytes into netlink messages and dumps, shared by the netlink targets.
        .target(name: "FuzzInput", dependencies: [.product(name: "MPTCPKit", package: "mptop"), "CFuzzer"]),
        .target(name: "CFuzzer"),
        .executableTarget(name: "fuzz-sockdiag", dependencies: fuzzer),
        .executableTarget(name: "fuzz-pm-events", dependencies: fuzzer),
        .executableTarget(name: "fuzz-genl-replies", dependencies: fuzzer),
        .executableTarget(name: "fuzz-rtnetlink", dependencies: fuzzer),
        .executableTarget(name: "fuzz-counters", dependencies: fuzzer),
        .executableTarget(name: "fuzz-dashboard", dependencies: fuzzer + [.product(name: "Dashboard", package: "mptop")]),
        .executableTarget(name: "fuzz-theme", dependencies: fuzzer + [.product(name: "Dashboard", package: "mptop")]),
        .executableTarget(name: "fuzz-journal", dependencies: fuzzer),
        .executableTarget(name: "fuzz-recording", dependencies: fuzzer),
    ]
)
