/// Splits one REPL line into arguments the way a POSIX shell would, minus expansion:
/// whitespace separates words; 'single quotes' are literal; "double quotes" keep spaces and
/// take \" and \\ as escapes; outside quotes a backslash escapes the next character.
public enum ReplTokenizer {
    public struct UnterminatedQuote: Error, CustomStringConvertible {
        public var quote: Character
        public var description: String {
            "unterminated \(quote == "'" ? "single" : "double") quote (\(quote)): close it, or escape it with \\\(quote)"
        }
    }

    public static func split(_ line: String) throws -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false  // Distinguishes "" (an empty argument) from nothing.
        var iterator = Array(line).makeIterator()
        while let character = iterator.next() {
            switch character {
            case " ", "\t", "\n", "\r":
                if inWord { words.append(current); current = ""; inWord = false }
            case "'":
                inWord = true
                var closed = false
                while let next = iterator.next() {
                    if next == "'" { closed = true; break }
                    current.append(next)
                }
                if !closed { throw UnterminatedQuote(quote: "'") }
            case "\"":
                inWord = true
                var closed = false
                while let next = iterator.next() {
                    if next == "\"" { closed = true; break }
                    if next == "\\" {
                        guard let escaped = iterator.next() else { break }
                        if escaped != "\"" && escaped != "\\" { current.append("\\") }
                        current.append(escaped)
                        continue
                    }
                    current.append(next)
                }
                if !closed { throw UnterminatedQuote(quote: "\"") }
            case "\\":
                inWord = true
                // A lone backslash at the very end stays literal (continuations are joined
                // before splitting).
                current.append(iterator.next() ?? "\\")
            default:
                inWord = true
                current.append(character)
            }
        }
        if inWord { words.append(current) }
        return words
    }

    /// Whether the line ends with an unescaped backslash: the command goes on on the next line.
    public static func continues(_ line: String) -> Bool {
        var trailing = 0
        for character in line.reversed() {
            guard character == "\\" else { break }
            trailing += 1
        }
        return trailing % 2 == 1
    }

    /// Whether the line is empty or a comment.
    public static func isBlankOrComment(_ line: String) -> Bool {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        return trimmed.isEmpty || trimmed.first == "#"
    }

    /// A word as it would have to be typed to come back as itself (for completions).
    public static func escape(_ word: String) -> String {
        var out = ""
        for character in word {
            if " \t\"'\\#".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
