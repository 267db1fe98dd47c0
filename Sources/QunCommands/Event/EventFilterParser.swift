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
        let filters = "Filters: \(keys.map { $0 + ":" }.joined(separator: " ")) WORD"
        for word in words {
            switch try FilterWord.classify(word, list: "event list", keys: keys, tags: false, help: filters) {
            case .withTag, .withoutTag: break  // events have no tags: `tags: false` reads them as words
            case .word(let word): filter.words.append(word)
            case .field(let key, let value):
                switch key {
                case "phase": filter.phase = try EventValidation.phase(value)
                case "kind": filter.kind = try EventValidation.kind(value)
                case "city": filter.city = value
                case "after": filter.after = try DateWords.day(value, today: today, field: "after")
                case "before": filter.before = try DateWords.day(value, today: today, field: "before")
                default:
                    throw FilterWord.unknownKey(key, keys: keys, tail: "WORD")
                }
            }
        }
        return filter
    }
}
