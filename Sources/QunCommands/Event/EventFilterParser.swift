import ArgumentParser
import QunStore

/// Parses the filter words of `event list`, in the style of `member list`:
///
///     phase:prep  kind:offline  city:杭州  after:2026-12-01  before:+30d
///     any other word: must appear in the title
enum EventFilterParser {
    static let keys = ["phase", "kind", "city", "after", "before"]

    static func parse(_ words: [String], today: CalendarDay) throws -> EventFilter {
        var filter = EventFilter()
        for word in words {
            if word.hasPrefix("--") {
                let key = String(word.dropFirst(2).prefix { $0 != "=" })
                let hint = Suggestion.closest(to: key.lowercased(), in: keys).map { " — did you mean the filter \($0):VALUE?" } ?? ""
                throw ValidationError("unknown option '\(word)' for event list\(hint) Filters: \(keys.map { $0 + ":" }.joined(separator: " ")) WORD")
            } else if let colon = word.firstIndex(of: ":"), colon != word.startIndex {
                let key = word[..<colon].lowercased()
                let value = String(word[word.index(after: colon)...])
                guard !value.isEmpty else { throw ValidationError("filter '\(word)' has no value: write \(key):VALUE") }
                switch key {
                case "phase": filter.phase = try EventValidation.phase(value)
                case "kind": filter.kind = try EventValidation.kind(value)
                case "city": filter.city = value
                case "after": filter.after = try DateWords.day(value, today: today, field: "after")
                case "before": filter.before = try DateWords.day(value, today: today, field: "before")
                default:
                    let hint = Suggestion.closest(to: key, in: keys).map { " — did you mean \($0):?" } ?? ""
                    throw ValidationError("unknown filter '\(key):'\(hint) Filters: \(keys.map { $0 + ":" }.joined(separator: " ")) WORD")
                }
            } else {
                filter.words.append(word)
            }
        }
        return filter
    }
}
