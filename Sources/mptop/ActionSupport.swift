import ArgumentParser
import MPTCPKit
import Output
#if canImport(Glibc)
import Glibc
#endif

/// What every command that changes kernel state does first, in this order: refuse in
/// read-only mode or without CAP_NET_ADMIN (before anything is touched), undo what a killed
/// run left behind, enter the namespace, take a sample to find the connection in.
enum ActionSupport {
    static func prepare(action: String, readOnly: Bool, namespace: String?) throws -> Sampler {
        try Privileges.requireNetAdmin(for: action, readOnly: readOnly)
        try JournalRecovery.atStart(readOnly: readOnly) { Console.err($0 + "\n") }
        if let namespace { try NetworkNamespace.enter(namespace) }
        _ = try MPTCPSysctl.mptcpEnabled()
        return try Sampler(options: .init(processes: false, namespace: namespace))
    }

    /// Asks `question [y/N]` on the terminal unless `yes`. Without a terminal and without
    /// `--yes` it refuses: a script must say it means it.
    static func confirm(_ question: String, yes: Bool) throws {
        if yes { return }
        guard isatty(0) != 0 else {
            throw MPTopError.usage("will not \(question) without confirmation: run it on a terminal or add --yes")
        }
        Console.err("\(question.escapedForTerminal)? [y/N] ")
        // read(2), not stdio: no shared C globals for Swift 6 to object to.
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while bytes.count < 64, read(0, &byte, 1) == 1, byte != 10 { bytes.append(byte) }
        let answer = String(decoding: bytes, as: UTF8.self)
        let word = answer.lowercased().filter { !$0.isWhitespace }
        guard word == "y" || word == "yes" else { throw MPTopError.io("cancelled; nothing was changed") }
    }
}

/// What close, backup and failover all take: --yes, --netns and --readonly.
struct ActionOptions: ParsableArguments {
    @Flag(name: [.customShort("y"), .long], help: "Do not ask for confirmation.")
    var yes = false

    @OptionGroup var namespace: NamespaceOption
    @OptionGroup var readOnly: ReadOnlyOption

    var netns: String? { namespace.netns }

    /// `ActionSupport.prepare` with these options.
    func prepare(action: String) throws -> Sampler {
        try ActionSupport.prepare(action: action, readOnly: readOnly.readOnly, namespace: netns)
    }

    func confirm(_ question: String) throws {
        try ActionSupport.confirm(question, yes: yes)
    }
}
