import ArgumentParser
import Foundation

/// Runs one command line and returns the exit code. Never calls `exit()`, so the REPL and
/// tests can run many command lines in one process.
public enum QunMain {
    public static func run(_ arguments: [String]) -> Int32 {
        do {
            var command = try Qun.parseAsRoot(arguments)
            try command.run()
            return 0
        } catch {
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
}
