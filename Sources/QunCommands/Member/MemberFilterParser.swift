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
            switch try FilterWord.classify(word, list: "member list", keys: keys, tags: true, help: "See `qun help filters`") {
            case .withTag(let tag): filter.withTags.append(tag)
            case .withoutTag(let tag): filter.withoutTags.append(tag)
            case .word(let word): filter.words.append(word)
            case .field(let key, let value):
                switch key {
                case "role": filter.role = try MemberValidation.role(value)
                case "status": filter.status = try MemberValidation.status(value)
                case "gate": filter.gate = try MemberValidation.gate(value)
                case "city": filter.city = value
                case "kol", "referrer":
                    let id = try store.map { try $0.member(value).id } ?? value
                    if key == "kol" { filter.kol = id } else { filter.referrer = id }
                default:
                    throw FilterWord.unknownKey(key, keys: keys, tail: "+tag -tag WORD")
                }
            }
        }
        return filter
    }
}
