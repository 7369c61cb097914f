import ArgumentParser
import MPTCPKit

/// ArgumentParser's usage errors as mptop says them: one line (no usage block), lower case,
/// control characters escaped (a typed word is quoted back), a pointer to the command's help.
enum UsageErrorLine {
    /// The line after `mptop: ` for a parse error of `root` (or of one of its subcommands).
    static func text(for error: Error, root: ParsableCommand.Type, arguments: [String]) -> String {
        // mptop's own checks (option values, validate()) throw errors that already name the
        // flag and the value; ArgumentParser wraps them, so they are unwrapped and said as they are.
        if let own = underlyingError(of: error) { return String(describing: own).escapedForTerminal }
        var message = root.message(for: error)
        // "Missing value for '--count <n>'": mptop's words, as before ArgumentParser.
        if message.hasPrefix(missingValue), let flag = message.dropFirst(missingValue.count).split(whereSeparator: { $0 == " " || $0 == "'" }).first {
            message = "\(flag) needs a value"
        }
        // Its multi-line messages (a list of accepted values) are said by their first line.
        let line = message.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? message
        let lowered = line.prefix(1).lowercased() + line.dropFirst()
        return "\(lowered.escapedForTerminal) (see '\(helpCommand(for: arguments, root: root)) --help')"
    }

    private static let missingValue = "Missing value for '"

    /// The command whose help answers the mistake: `mptop close` for `mptop close --bogus`,
    /// `mptop traffic send` for `mptop traffic send --bogus` (the words `root` parsed).
    static func helpCommand(for arguments: [String], root: ParsableCommand.Type) -> String {
        var names = [root.configuration.commandName ?? "mptop"]
        var level = root.configuration.subcommands
        for word in arguments {
            guard let sub = level.first(where: { $0._commandName == word }) else { break }
            names.append(word)
            level = sub.configuration.subcommands
        }
        return names.joined(separator: " ")
    }

    /// The error mptop threw inside ArgumentParser's parse: from an option's transform
    /// (`unableToParseValue`'s original error) or from a `validate()` (`userValidationError`).
    /// ArgumentParser keeps these in internal types its public API only renders as English
    /// sentences with the raw value in them, so they are read by reflection; if a later
    /// version changes their shape this returns nil and its own message is used (the
    /// command-line tests pin every message).
    static func underlyingError(of error: Error) -> Error? {
        if error is MPTopError { return error }
        guard let parserError = Mirror(reflecting: error).descendant("parserError"),
              let thrown = Mirror(reflecting: parserError).children.first else { return nil }
        let inner: Any?
        switch thrown.label {
        case "unableToParseValue": inner = Mirror(reflecting: thrown.value).descendant("originalError")
        case "userValidationError": inner = thrown.value
        default: inner = nil
        }
        // ValidationError and ArgumentParser's own exits are its business, not mptop's words.
        return inner.flatMap(unwrap).flatMap { $0 is MPTopError ? $0 : nil }
    }

    private static func unwrap(_ value: Any) -> Error? {
        if let error = value as? Error { return error }
        // An `Error?` seen through `Any`: one level of Optional.
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional, let some = mirror.children.first else { return nil }
        return some.value as? Error
    }
}
