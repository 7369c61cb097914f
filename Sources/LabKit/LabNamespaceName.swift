import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Lab namespace names: `mptop-<pid>-<4 hex>-<role>`. The pid and the random part keep two labs
/// of one process (or parallel runs) apart. A name proves nothing about who owns a namespace:
/// that is what the lab's `LabMarker` is for.
enum LabNamespaceName {
    static let prefix = "mptop-"
    static let roles = ["cli", "srv", "probe"]

    /// A fresh stem `mptop-<pid>-<hex4>`; append "-cli", "-srv" or "-probe".
    static func makeStem() -> String {
        let random = UInt16.random(in: 0...UInt16.max)
        let hex = String(random, radix: 16)
        return "\(prefix)\(getpid())-\(String(repeating: "0", count: 4 - hex.count))\(hex)"
    }

    /// Whether `stem` is exactly what `makeStem` makes.
    static func isStem(_ stem: String) -> Bool {
        let parts = stem.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 3 && parts[0] == "mptop" && parts[1].isDecimalNumber && !parts[1].hasPrefix("0")
            && parts[2].count == 4 && parts[2].allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }

    /// The stem of a lab namespace name, nil when `name` is not one.
    static func stem(of name: String) -> String? {
        guard let dash = name.lastIndex(of: "-"), roles.contains(String(name[name.index(after: dash)...])) else { return nil }
        let stem = String(name[..<dash])
        return isStem(stem) ? stem : nil
    }
}
