import ArgumentParser
import Foundation
import QunStore

/// Runs one command line and returns the exit code. Never calls `exit()`, so the REPL and
/// tests can run many command lines in one process.
public enum QunMain {
    /// Runs any command, awaiting those that are asynchronous (`serve`, `sync`).
    public static func run(_ arguments: [String]) async -> Int32 {
        let arguments = prepare(arguments)
        do {
            var command = try Qun.parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch {
            return report(error, arguments: arguments)
        }
    }

    /// Runs a command where nothing can be awaited. An asynchronous one is refused with a
    /// message rather than silently printing its help (ArgumentParser's default `run()`).
    public static func runSynchronously(_ arguments: [String]) -> Int32 {
        let arguments = prepare(arguments)
        do {
            var command = try Qun.parseAsRoot(arguments)
            if command is AsyncParsableCommand {
                throw ValidationError("`\(arguments.first ?? "this command")` cannot run here: run it from the shell with the qun executable")
            }
            try command.run()
            return 0
        } catch {
            return report(error, arguments: arguments)
        }
    }

    /// Per command line: resets the verbosity flags, remembers the command line for `undo`,
    /// and sends `help TOPIC` to the topic pages.
    static func prepare(_ arguments: [String]) -> [String] {
        Console.quiet = false
        Console.verbose = false
        Session.current.commandLine = CommandWords.description(of: arguments)
        let words = CommandWords.positionals(arguments)
        if words.count == 2, words[0] == "help", Topic.Name(rawValue: words[1]) != nil {
            return arguments.map { $0 == "help" ? "topic" : $0 }
        }
        return arguments
    }

    private static func report(_ error: any Error, arguments: [String]) -> Int32 {
        let code = Qun.exitCode(for: error)
        if code == .success {
            // --help and --version arrive as "errors" that carry their text.
            Console.print(Qun.fullMessage(for: error))
            return 0
        }
        // The command line's words first (they name flags), then what the disk said, then the
        // error's own description, all after the same "Error:".
        let worded = ErrorWording.message(for: error) ?? StorageFault.describe(error)
        var message = worded.map { "Error: \($0)" } ?? Qun.fullMessage(for: error)
        if let hint = CommandWords.suggestion(for: message, arguments: arguments) {
            message = message.replacingOccurrences(of: "\n", with: " — \(hint)\n", options: [], range: message.range(of: "\n"))
            if !message.contains(hint) { message += " — \(hint)" }
        }
        // A bare ExitCode (a command that already said why) carries no text.
        if !message.isEmpty { FileHandle.standardError.write(Data((Style.errorMessage(message) + "\n").utf8)) }
        return code.rawValue == 0 ? 1 : code.rawValue
    }
}
