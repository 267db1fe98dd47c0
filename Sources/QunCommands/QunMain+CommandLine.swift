import Foundation

extension QunMain {
    /// Runs the process's own command line.
    ///
    /// Arguments are read from the raw `argv` bytes: `CommandLine.arguments` silently turns
    /// bytes that are not UTF-8 into U+FFFD, and a name typed in a terminal with the wrong
    /// encoding (e.g. GBK) would then be stored as replacement characters and synced to the
    /// whole team. Such an argument is refused instead, before anything is opened.
    public static func runCommandLine() async -> Int32 {
        // Everything qun writes holds the team's data (the store, bundles, CSV and calendar
        // exports): owner-only, whatever the shell's umask.
        umask(0o077)
        var arguments: [String] = []
        for index in 1..<max(1, Int(CommandLine.argc)) {
            guard let raw = CommandLine.unsafeArgv[index] else { continue }
            guard let argument = String(validatingCString: raw) else {
                let message = "Error: argument \(index) is not valid UTF-8; set the terminal to UTF-8 (e.g. LANG=C.UTF-8) and type it again"
                FileHandle.standardError.write(Data((Style.errorMessage(message) + "\n").utf8))
                return 64
            }
            arguments.append(argument)
        }
        let code = await run(arguments)
        Session.current.closeAll()
        return code
    }
}
