import ArgumentParser
import QunStore

/// Parses the terse filter words of `member list`, in the style of a CLI task manager:
///
///     role:kol  city:杭州  status:quiet  gate:paid  kol:林  referrer:7QKM-3
///     +tag      -tag       any other word: must appear in the name or the notes
enum MemberFilterParser {
    static let keys = ["role", "city", "status", "gate", "kol", "referrer"]

    static func parse(_ words: [String], store: Store?) throws -> MemberFilter {
        var filter = MemberFilter()
        for word in words {
            if word.hasPrefix("+"), word.count > 1 {
                filter.withTags.append(String(word.dropFirst()))
            } else if word.hasPrefix("-"), word.count > 1, !word.hasPrefix("--") {
                filter.withoutTags.append(String(word.dropFirst()))
            } else if word.hasPrefix("--") {
                let key = String(word.dropFirst(2).prefix { $0 != "=" })
                let hint = Suggestion.closest(to: key.lowercased(), in: keys).map { " — did you mean the filter \($0):VALUE?" } ?? ""
                throw ValidationError("unknown option '\(word)' for member list\(hint) See `qun help filters`")
            } else if let colon = word.firstIndex(of: ":"), colon != word.startIndex {
                let key = word[..<colon].lowercased()
                let value = String(word[word.index(after: colon)...])
                guard !value.isEmpty else { throw ValidationError("filter '\(word)' has no value: write \(key):VALUE") }
                switch key {
                case "role": filter.role = try MemberValidation.role(value)
                case "status": filter.status = try MemberValidation.status(value)
                case "gate": filter.gate = try MemberValidation.gate(value)
                case "city": filter.city = value
                case "kol", "referrer":
                    let id = try store.map { try $0.member(value).id } ?? value
                    if key == "kol" { filter.kol = id } else { filter.referrer = id }
                default:
                    let hint = Suggestion.closest(to: key, in: keys).map { " — did you mean \($0):?" } ?? ""
                    throw ValidationError("unknown filter '\(key):'\(hint) Filters: \(keys.map { $0 + ":" }.joined(separator: " ")) +tag -tag WORD")
                }
            } else {
                filter.words.append(word)
            }
        }
        return filter
    }
}
