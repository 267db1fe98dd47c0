import Foundation
import QunCore

/// Where commands write. Results go to stdout; notes, warnings and errors to stderr, so
/// that `--json` output piped into a script stays clean.
public enum Console {
    public static func print(_ text: String, terminator: String = "\n") {
        Swift.print(text, terminator: terminator)
    }

    public static func printJSON(_ value: JSON) {
        Swift.print(value.pretty)
    }

    /// `--quiet`: notes are not written. Reset before each command line.
    public nonisolated(unsafe) static var quiet = false
    /// `--verbose`: details are written too. Reset before each command line.
    public nonisolated(unsafe) static var verbose = false

    /// A note for the operator, on stderr; `--quiet` drops it (errors are never dropped).
    public static func note(_ text: String) {
        guard !quiet else { return }
        FileHandle.standardError.write(Data(("qun: " + text + "\n").utf8))
    }

    /// A detail only `--verbose` shows, on stderr.
    public static func detail(_ text: String) {
        guard verbose, !quiet else { return }
        FileHandle.standardError.write(Data(("qun: " + text + "\n").utf8))
    }

    /// The terminal's width in columns, when stdout is a terminal.
    public static var terminalWidth: Int? {
        guard isatty(STDOUT_FILENO) != 0 else { return nil }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init)
    }
}
