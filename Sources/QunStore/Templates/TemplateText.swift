/// The text of a template cut into literal runs and `{placeholders}`. `{{` and `}}` stand
/// for a brace itself; a placeholder's key is anything but braces and spaces (`{name}`,
/// `{群名}`).
public struct TemplateText: Sendable, Equatable {
    public enum Piece: Sendable, Equatable {
        case literal(String)
        case placeholder(String)
    }

    public let pieces: [Piece]

    public init(_ text: String) throws {
        var pieces: [Piece] = []
        var literal = ""
        var index = text.startIndex
        func next(_ i: String.Index) -> Character? { text.index(after: i) < text.endIndex ? text[text.index(after: i)] : nil }
        while index < text.endIndex {
            let character = text[index]
            if character == "{" && next(index) == "{" || character == "}" && next(index) == "}" {
                literal.append(character)
                index = text.index(index, offsetBy: 2)
                continue
            }
            if character == "}" { throw TemplateError.strayBrace(text: text) }
            if character == "{" {
                guard let close = text[index...].firstIndex(of: "}") else { throw TemplateError.unclosedPlaceholder(text: text) }
                let key = String(text[text.index(after: index)..<close])
                guard !key.isEmpty, !key.contains("{"), !key.contains(where: \.isWhitespace) else {
                    throw TemplateError.badPlaceholder(key)
                }
                if !literal.isEmpty { pieces.append(.literal(literal)) }
                literal = ""
                pieces.append(.placeholder(key))
                index = text.index(after: close)
                continue
            }
            literal.append(character)
            index = text.index(after: index)
        }
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        self.pieces = pieces
    }

    /// Keys in order of first use.
    public var placeholders: [String] {
        var seen: [String] = []
        for case .placeholder(let key) in pieces where !seen.contains(key) { seen.append(key) }
        return seen
    }

    /// The text with every placeholder replaced by `value(key)`.
    public func filled(_ value: (String) throws -> String) rethrows -> String {
        var out = ""
        for piece in pieces {
            switch piece {
            case .literal(let text): out += text
            case .placeholder(let key): out += try value(key)
            }
        }
        return out
    }
}
