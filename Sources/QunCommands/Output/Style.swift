import Foundation

/// ANSI colour, only where it helps: on a terminal, and never when `NO_COLOR` is set (any
/// non-empty value, see no-color.org) or `TERM=dumb`. Piped output stays plain text.
enum Style {
    enum Stream { case standardOutput, standardError }

    /// Whether text written to `stream` may carry colour.
    static func isEnabled(for stream: Stream) -> Bool {
        isEnabled(environment: ProcessInfo.processInfo.environment,
                  isTerminal: isatty(stream == .standardOutput ? STDOUT_FILENO : STDERR_FILENO) != 0)
    }

    /// The rule itself, testable without a terminal.
    static func isEnabled(environment: [String: String], isTerminal: Bool) -> Bool {
        guard isTerminal else { return false }
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        return environment["TERM"] != "dumb"
    }

    static func bold(_ text: String, on stream: Stream = .standardOutput) -> String {
        wrap(text, "1", on: stream)
    }

    static func red(_ text: String, on stream: Stream = .standardError) -> String {
        wrap(text, "1;31", on: stream)
    }

    static func wrap(_ text: String, _ code: String, on stream: Stream) -> String {
        guard !text.isEmpty, isEnabled(for: stream) else { return text }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }

    /// Colours an error message's leading `Error:` for stderr.
    static func errorMessage(_ message: String) -> String {
        guard message.hasPrefix("Error:") else { return message }
        return red("Error:") + message.dropFirst("Error:".count)
    }
}
