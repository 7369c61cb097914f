import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Lab namespace names: `mptop-<pid>-<4 hex>-<role>`. The pid says which process owns the
/// namespace, so a later run can delete namespaces whose owner died without cleaning up; the
/// random part keeps two labs of one process (or parallel runs) apart.
enum LabNamespaceName {
    static let prefix = "mptop-"

    /// A fresh stem `mptop-<pid>-<hex4>`; append "-cli", "-srv" or "-probe".
    static func makeStem() -> String {
        let random = UInt16.random(in: 0...UInt16.max)
        let hex = String(random, radix: 16)
        return "\(prefix)\(getpid())-\(String(repeating: "0", count: 4 - hex.count))\(hex)"
    }

    /// The owning pid of a lab namespace name, or nil when `name` is not one of ours.
    static func ownerPID(of name: String) -> Int32? {
        let parts = name.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "mptop",
              let pid = Int32(parts[1]), pid > 0,
              parts[2].count == 4, parts[2].allSatisfy({ $0.isHexDigit }),
              ["cli", "srv", "probe"].contains(String(parts[3])) else { return nil }
        return pid
    }

    /// Whether a process with `pid` exists (EPERM still means it exists).
    static func isAlive(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

    /// The names `ip netns list` reports, without the "(id: N)" suffix.
    static func listNamespaces() -> [String] {
        guard let output = try? ShellCommand.check("ip", ["netns", "list"]) else { return [] }
        return output.split(separator: "\n").compactMap { line in
            line.split(separator: " ").first.map(String.init)
        }
    }
}
