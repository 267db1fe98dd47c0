import ArgumentParser
import Foundation

/// Runs one command line and returns the exit code. Never calls `exit()`, so the REPL and
/// tests can run many command lines in one process.
public enum QunMain {
    /// Runs any command, awaiting those that are asynchronous (`serve`, `sync`).
    public static func run(_ arguments: [String]) async -> Int32 {
        do {
            var command = try Qun.parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch {
            return report(error)
        }
    }

    /// Runs a command where nothing can be awaited. An asynchronous one is refused with a
    /// message rather than silently printing its help (ArgumentParser's default `run()`).
    public static func runSynchronously(_ arguments: [String]) -> Int32 {
        do {
            var command = try Qun.parseAsRoot(arguments)
            if command is AsyncParsableCommand {
                throw ValidationError("`\(arguments.first ?? "this command")` cannot run here: run it from the shell with the qun executable")
            }
            try command.run()
            return 0
        } catch {
            return report(error)
        }
    }

    private static func report(_ error: any Error) -> Int32 {
        let code = Qun.exitCode(for: error)
        if code == .success {
            // --help and --version arrive as "errors" that carry their text.
            Console.print(Qun.fullMessage(for: error))
            return 0
        }
        FileHandle.standardError.write(Data((Qun.fullMessage(for: error) + "\n").utf8))
        return code.rawValue == 0 ? 1 : code.rawValue
    }
}
