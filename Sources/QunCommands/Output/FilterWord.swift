import ArgumentParser

/// One word of a list filter, read the same way for every kind's list: `+tag`, `-tag`,
/// `key:value`, or a plain word to look for. What a key means is each list's own.
enum FilterWord {
    case withTag(String)
    case withoutTag(String)
    case field(key: String, value: String)
    case word(String)

    /// - Parameters:
    ///   - list: the command, for messages ("member list").
    ///   - keys: the list's filter keys, for suggestions.
    ///   - tags: whether `+tag` and `-tag` filter by tags (otherwise they are words).
    ///   - help: what the message about a stray `--option` ends with.
    static func classify(_ word: String, list: String, keys: [String], tags: Bool, help: String) throws -> FilterWord {
        if tags, word.hasPrefix("+"), word.count > 1 { return .withTag(String(word.dropFirst())) }
        if tags, word.hasPrefix("-"), word.count > 1, !word.hasPrefix("--") { return .withoutTag(String(word.dropFirst())) }
        if word.hasPrefix("--") {
            let key = String(word.dropFirst(2).prefix { $0 != "=" })
            let hint = Suggestion.closest(to: key.lowercased(), in: keys).map { " — did you mean the filter \($0):VALUE?" } ?? ""
            throw ValidationError("unknown option '\(word)' for \(list)\(hint) \(help)")
        }
        if let colon = word.firstIndex(of: ":"), colon != word.startIndex {
            let key = word[..<colon].lowercased()
            let value = String(word[word.index(after: colon)...])
            guard !value.isEmpty else { throw ValidationError("filter '\(word)' has no value: write \(key):VALUE") }
            return .field(key: key, value: value)
        }
        return .word(word)
    }

    /// The error for a `key:` the list does not know, with the nearest one it does.
    static func unknownKey(_ key: String, keys: [String], tail: String) -> ValidationError {
        let hint = Suggestion.closest(to: key, in: keys).map { " — did you mean \($0):?" } ?? ""
        return ValidationError("unknown filter '\(key):'\(hint) Filters: \(keys.map { $0 + ":" }.joined(separator: " ")) \(tail)")
    }
}
