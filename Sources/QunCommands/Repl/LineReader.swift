import CEditLine
import Foundation

/// Where the REPL gets its lines from.
protocol LineReader: AnyObject {
    /// The next line without its newline, or nil at the end of input (Ctrl-D).
    func readLine(prompt: String) -> String?
    /// Remembers a complete command for recall with the Up arrow.
    func addHistory(_ line: String)
    /// Saves what must outlive the session.
    func close()
    /// Whether a person is typing (prompts, history, completion).
    var isInteractive: Bool { get }
}

/// Piped or redirected stdin: no prompt, no history, every line as it comes.
final class PlainLineReader: LineReader {
    var isInteractive: Bool { false }

    func readLine(prompt: String) -> String? {
        Swift.readLine(strippingNewline: true)
    }

    func addHistory(_ line: String) {}
    func close() {}
}

/// A terminal: libedit's readline interface, with history in a file and tab completion.
final class EditLineReader: LineReader {
    private let historyFile: URL
    private var lastAdded: String?
    var isInteractive: Bool { true }

    /// The completer libedit calls back into. C callbacks cannot capture context, so there
    /// is one per process, as there is one terminal.
    nonisolated(unsafe) static var completer: ((_ before: String, _ word: String) -> [String])?

    init(historyFile: URL, completer: @escaping (_ before: String, _ word: String) -> [String]) {
        self.historyFile = historyFile
        // libedit reads multibyte input (中文) only in a UTF-8 locale.
        setlocale(LC_CTYPE, "")
        if String(cString: setlocale(LC_CTYPE, nil)) == "C" || String(cString: setlocale(LC_CTYPE, nil)) == "POSIX" {
            setlocale(LC_CTYPE, "C.UTF-8")
        }
        EditLineReader.completer = completer
        qun_el_set_completion { text, start, _ in
            qun_el_completion_over()  // Never fall back to file names.
            let word = text.map { String(cString: $0) } ?? ""
            var before = ""
            if let buffer = qun_el_line_buffer() {
                let bytes = Array(UnsafeBufferPointer(start: UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self), count: strlen(buffer)))
                let cut = Int(start)
                before = String(decoding: bytes[0..<max(0, min(cut, bytes.count))], as: UTF8.self)
            }
            EditLineReader.matches = (EditLineReader.completer?(before, word) ?? []).sorted()
            EditLineReader.matchIndex = 0
            guard !EditLineReader.matches.isEmpty else { return nil }
            return rl_completion_matches(text) { _, state in
                if state == 0 { EditLineReader.matchIndex = 0 }
                guard EditLineReader.matchIndex < EditLineReader.matches.count else { return nil }
                defer { EditLineReader.matchIndex += 1 }
                return strdup(EditLineReader.matches[EditLineReader.matchIndex])
            }
        }
        stifle_history(1000)
        _ = read_history(historyFile.path)
    }

    nonisolated(unsafe) private static var matches: [String] = []
    nonisolated(unsafe) private static var matchIndex = 0

    func readLine(prompt: String) -> String? {
        guard let line = readline(prompt) else { return nil }
        defer { free(line) }
        return String(cString: line)
    }

    func addHistory(_ line: String) {
        guard line != lastAdded else { return }
        lastAdded = line
        add_history(line)
        // Written after every command, so that a killed session keeps what it typed.
        _ = write_history(historyFile.path)
    }

    func close() {
        _ = write_history(historyFile.path)
    }
}
