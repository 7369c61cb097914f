import ArgumentParser
import MPTCPKit

/// How mptop's option values are read: the transforms its declarations name, each throwing the
/// one-line usage error mptop prints as it is (see `UsageErrorLine`). Options take the next word
/// whatever it looks like (`.unconditional`), so `--interval -1` is a bad number of seconds,
/// not a missing value followed by the option `-1`.
enum ArgumentValue {
    static func seconds(_ flag: String) -> @Sendable (String) throws -> Double {
        { v in
            guard let d = Double(v), d.isFinite, d >= 0, d <= 86_400 else {
                throw MPTopError.usage("\(flag) takes seconds from 0 to 86400, not '\(v)'")
            }
            return d
        }
    }

    static func count(_ flag: String) -> @Sendable (String) throws -> Int {
        { v in
            guard let n = Int(v), n > 0 else { throw MPTopError.usage("\(flag) takes a whole number above 0, not '\(v)'") }
            return n
        }
    }

    /// A namespace name (`--netns`), checked before anything uses or echoes it.
    @Sendable static func namespace(_ v: String) throws -> String {
        try NetworkNamespaceName(validating: v).rawValue
    }
}

/// `--netns NAME`, the same for every command that looks into a namespace.
struct NamespaceOption: ParsableArguments {
    @Option(name: [.customShort("n"), .long], parsing: .unconditional,
            help: ArgumentHelp("Look into network namespace NAME (as 'ip -n NAME'; needs root).", valueName: "NAME"),
            completion: .shellCommand("ls /run/netns 2>/dev/null"), transform: ArgumentValue.namespace)
    var netns: String?
}

/// `--readonly`, of the dashboard and of every command that can change something; given before
/// the command's name it is still the command's (`mptop --readonly close ...`).
struct ReadOnlyOption: ParsableArguments {
    @Flag(name: [.customLong("readonly"), .customLong("read-only")],
          help: "Never change anything: close, backup, failover and the dashboard's action keys refuse; a killed run's undo journal is named, not restored.")
    var readOnly = false
}
