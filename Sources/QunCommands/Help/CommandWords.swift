import ArgumentParser
import Foundation

/// Reads a command line the way the command tree will, without parsing it: which words
/// name commands, what to call the command in `undo`'s messages, and what a mistyped verb
/// or option probably meant.
enum CommandWords {
    /// Global options that take a value.
    static let valued: Set<String> = ["--store"]
    /// Global flags, left out of a command's description.
    static let globalFlags: Set<String> = ["--quiet", "--verbose", "--json"]

    /// The words that are not global options or their values.
    static func positionals(_ arguments: [String]) -> [String] {
        var words: [String] = []
        var skipNext = false
        for argument in arguments {
            if skipNext { skipNext = false; continue }
            if valued.contains(argument) { skipNext = true; continue }
            if argument.hasPrefix("-") { continue }
            words.append(argument)
        }
        return words
    }

    /// The command line without `--store DIR` and the global flags: "member add 张三 --role kol".
    static func description(of arguments: [String]) -> String {
        var words: [String] = []
        var skipNext = false
        for argument in arguments {
            if skipNext { skipNext = false; continue }
            if valued.contains(argument) { skipNext = true; continue }
            if valued.contains(where: { argument.hasPrefix($0 + "=") }) || globalFlags.contains(argument) { continue }
            words.append(argument.contains(" ") ? "'\(argument)'" : argument)
        }
        return words.joined(separator: " ")
    }

    /// "did you mean" for an unknown subcommand named in ArgumentParser's message.
    static func suggestion(for message: String, arguments: [String]) -> String? {
        // Walk the tree along the words that name commands.
        var command: any ParsableCommand.Type = Qun.self
        var path = ["qun"]
        var stray: String?
        for word in positionals(arguments) {
            let subcommands = command.configuration.subcommands
            if subcommands.isEmpty { break }
            if let next = subcommands.first(where: { $0._commandName == word }) {
                command = next
                path.append(word)
            } else {
                stray = word
                break
            }
        }
        if let stray, message.contains("'\(stray)'"),
           let guess = Suggestion.closest(to: stray, in: command.configuration.subcommands.map { $0._commandName } + (command == Qun.self ? ["help"] : [])) {
            return "did you mean `\((path + [guess]).joined(separator: " "))`?"
        }
        // Unknown options need nothing here: ArgumentParser already says "Did you mean '--role'?".
        return nil
    }
}
