import ArgumentParser
import Foundation
import QunCore
import QunStore

/// `qun repl`: the CLI's grammar, one command per line, on one open store.
struct Repl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "An interactive session on the store.",
        discussion: """
            Each line is a qun command without the leading `qun` (`member add 张三 --city 杭州`), \
            quoted as in a shell: 'single quotes' are literal, "double quotes" take \\" and \\\\, \
            a backslash escapes one character, and a backslash at the end of a line continues \
            the command on the next. The session's --store (or $QUN_STORE) applies to every \
            line. `help [COMMAND...]` shows help, `quit`, `exit` or Ctrl-D ends the session; \
            empty lines and lines starting with # are skipped. `init`, `serve` and `repl` are \
            run from the shell instead.

            On a terminal: line editing, history (kept in STORE/repl_history, Up arrow to \
            recall) and Tab completion of commands, options, member names, numbers, ids and \
            tags. When changes from other processes (a running `qun serve`, a sync) arrive \
            between two commands, a line on stderr says how many and from whom.

            With stdin not a terminal (`qun repl < script.txt`), lines are read without a \
            prompt, every line runs even after a failure, and the exit code is non-zero if \
            any line failed.
            """)

    @OptionGroup var globals: GlobalOptions

    /// Commands that make no sense inside a session on an open store.
    static let refused: [String: String] = [
        "repl": "you are in the REPL already",
        "serve": "run `qun serve` from the shell (it runs until stopped)",
        "init": "run `qun init` from the shell (the REPL works on an existing store)",
    ]

    func run() async throws {
        let directory = globals.storeDirectory
        let store = try globals.openStore()
        let reader: LineReader
        if isatty(STDIN_FILENO) != 0 {
            reader = EditLineReader(
                historyFile: directory.appendingPathComponent("repl_history"),
                completer: ReplCompleter(store: { try? Session.current.store(at: directory) }).complete)
        } else {
            reader = PlainLineReader()
        }
        var session = ReplSession(store: store, storePath: directory.path, reader: reader)
        let failures = await session.loop()
        reader.close()
        if !reader.isInteractive && failures > 0 {
            Console.note("\(failures) line\(failures == 1 ? "" : "s") failed")
            throw ExitCode.failure
        }
    }
}

/// The read-evaluate loop; returns how many lines failed.
struct ReplSession {
    let store: Store
    let storePath: String
    let reader: LineReader
    /// The version vector after the previous command: what this session has seen.
    var seen: VersionVector?
    var lineNumber = 0

    init(store: Store, storePath: String, reader: LineReader) {
        self.store = store
        self.storePath = storePath
        self.reader = reader
        self.seen = try? store.versionVector()
    }

    mutating func loop() async -> Int {
        var failures = 0
        while let line = readCommand() {
            let status = await evaluate(line)
            if status == nil { break }
            if status != 0 {
                failures += 1
                if !reader.isInteractive { Console.note("line \(lineNumber) failed") }
            }
            fflush(nil)
        }
        if reader.isInteractive { Swift.print("") }  // After Ctrl-D, leave the shell prompt on its own line.
        fflush(nil)
        return failures
    }

    /// The next logical line, joining `\`-continued lines; nil at the end of input.
    private mutating func readCommand() -> String? {
        var text = ""
        var prompt = "qun> "
        while true {
            guard let line = reader.readLine(prompt: prompt) else {
                return text.isEmpty ? nil : text
            }
            lineNumber += 1
            if ReplTokenizer.continues(line) {
                text += line.dropLast()
                prompt = "...> "
                continue
            }
            return text + line
        }
    }

    /// Runs one logical line. Returns its status, or nil to end the session.
    private mutating func evaluate(_ line: String) async -> Int32? {
        if ReplTokenizer.isBlankOrComment(line) { return 0 }
        reader.addHistory(line)
        let tokens: [String]
        do {
            tokens = try ReplTokenizer.split(line)
        } catch {
            return refuse("\(error)")
        }
        guard let first = tokens.first else { return 0 }
        switch first {
        case "quit" where tokens.count == 1, "exit" where tokens.count == 1:
            return nil
        case "help":
            let path = Array(tokens.dropFirst())
            if isCommandPath(path) { return help(path) }
            // Not a command: `qun help …` itself answers (help topics, or the error).
            return await QunMain.run(tokens)
        default:
            break
        }
        if let word = Self.commandWord(tokens), let reason = Repl.refused[word] {
            return refuse("`\(word)` cannot run inside the REPL: \(reason)")
        }
        announceArrivals()
        let hasStore = tokens.contains { $0 == "--store" || $0.hasPrefix("--store=") }
        let status = await QunMain.run(hasStore ? tokens : ["--store", storePath] + tokens)
        // This command's own writes are not arrivals; a teammate's that landed while it ran
        // are, and the next command announces them.
        if let now = try? store.versionVector() {
            let own = store.identity.replica
            seen = seen.map { $0.merged(with: VersionVector([own: now[own]])) } ?? now
        }
        return status
    }

    /// The first word that is not an option (or the value of `--store`).
    static func commandWord(_ tokens: [String]) -> String? {
        var skip = false
        for token in tokens {
            if skip { skip = false; continue }
            if token == "--store" { skip = true; continue }
            if token.hasPrefix("-") { continue }
            return token
        }
        return nil
    }

    private func refuse(_ message: String) -> Int32 {
        Console.note(message)
        return 1
    }

    private func isCommandPath(_ path: [String]) -> Bool {
        var type: ParsableCommand.Type = Qun.self
        for word in path {
            guard let sub = ReplCompleter.subcommands(of: type)[word] else { return false }
            type = sub
        }
        return true
    }

    /// `help` and `help COMMAND...`: ArgumentParser's help screens.
    private func help(_ path: [String]) -> Int32 {
        var type: ParsableCommand.Type = Qun.self
        for word in path {
            guard let sub = ReplCompleter.subcommands(of: type)[word] else {
                let known = ReplCompleter.commandPaths().map { $0.joined(separator: " ") }
                let asked = path.joined(separator: " ")
                let near = known.filter { $0.hasPrefix(word) || asked.hasPrefix($0) }.prefix(5)
                return refuse("no command `\(asked)`" + (near.isEmpty ? "; type `help` for the list" : "; did you mean \(near.map { "`\($0)`" }.joined(separator: ", "))?"))
            }
            type = sub
        }
        if path.isEmpty {
            Console.print(Qun.helpMessage(includeHidden: false, columns: Console.terminalWidth))
            Console.print("""
                In the REPL: type a command without `qun`. `help COMMAND` for its options, \
                `quit` (or Ctrl-D) to leave.
                """)
        } else {
            Console.print(Qun.helpMessage(for: type, includeHidden: false, columns: Console.terminalWidth))
        }
        return 0
    }

    /// Prints one line on stderr when other processes changed the store since the previous
    /// command: `(12 changes arrived from 王)`.
    private mutating func announceArrivals() {
        guard let before = seen, let now = try? store.versionVector() else { return }
        seen = now
        var arrived: [(ReplicaID, Int64)] = []
        for (replica, seq) in now.entries where seq > before[replica] {
            arrived.append((replica, seq - before[replica]))
        }
        guard !arrived.isEmpty else { return }
        let names = (try? store.operatorNames()) ?? [:]
        let parts = arrived.sorted { $0.1 > $1.1 }.map { replica, count in
            (count: count, name: names[replica] ?? String(replica.hex.prefix(8)))
        }
        let total = parts.reduce(0) { $0 + $1.count }
        let text: String
        if parts.count == 1 {
            text = "(\(total) change\(total == 1 ? "" : "s") arrived from \(parts[0].name))"
        } else {
            text = "(\(total) changes arrived: " + parts.map { "\($0.count) from \($0.name)" }.joined(separator: ", ") + ")"
        }
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
