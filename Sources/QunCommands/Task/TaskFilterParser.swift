import ArgumentParser
import QunStore

/// Parses the filter words of `task list` and `task next`, in the style of Taskwarrior:
///
///     assignee:林晓  status:doing  priority:H  due:today  due.before:fri  due.after:+3d
///     event:3f2a  recur:daily (templates)  template:9c1e (its instances)
///     +tag  -tag  +OVERDUE (open and due before today)
///     any other word: must appear in the title
enum TaskFilterParser {
    static let keys = ["assignee", "status", "priority", "due", "due.before", "due.after", "event", "recur", "template"]

    static func parse(_ words: [String], today: CalendarDay) throws -> TaskFilter {
        var filter = TaskFilter()
        filter.today = today
        for word in words {
            if word == "+OVERDUE" {
                filter.overdue = true
                continue
            }
            if !word.hasPrefix("+"), isRelativeDate(word) {
                throw ValidationError("'\(word)' is a date, not a filter: write due.after:\(word) or due.before:\(word) (see `qun help filters`)")
            }
            switch try FilterWord.classify(word, list: "task list", keys: keys, tags: true, help: "See `qun help filters`") {
            case .withTag(let tag): filter.withTags.append(tag)
            case .withoutTag(let tag): filter.withoutTags.append(tag)
            case .word(let word): filter.words.append(word)
            case .field(let key, let value):
                switch key {
                case "assignee": filter.assignee = value
                case "status":
                    if value.lowercased() == "any" {
                        filter.includeClosed = true
                    } else {
                        filter.statuses = try value.split(separator: ",").map { try TaskValidation.status(String($0)) }
                    }
                case "priority", "pri": filter.priority = try TaskValidation.priority(value)
                case "due": filter.dueOn = try DateWords.day(value, today: today, field: "due")
                case "due.before", "due.by": filter.dueBefore = try DateWords.day(value, today: today, field: "due.before")
                case "due.after": filter.dueAfter = try DateWords.day(value, today: today, field: "due.after")
                case "event": filter.event = try hexPrefix(value, key: "event")
                case "template": filter.template = try hexPrefix(value, key: "template")
                case "recur":
                    if value.lowercased() == "any" { filter.recurAny = true } else { filter.recur = try TaskValidation.recurrence(value) }
                default:
                    throw FilterWord.unknownKey(key, keys: keys, tail: "+tag -tag +OVERDUE WORD (see `qun help filters`)")
                }
            }
        }
        return filter
    }

    /// `-7d` or `+3d` in a filter list is a stray date word, not the tag `7d`.
    private static func isRelativeDate(_ word: String) -> Bool {
        guard word.hasPrefix("-") || word.hasPrefix("+") else { return false }
        let body = word.dropFirst()
        guard let unit = body.last, "dwm".contains(unit) else { return false }
        return body.dropLast().allSatisfy { $0.isASCII && $0.isNumber } && body.count > 1
    }

    private static func hexPrefix(_ value: String, key: String) throws -> String {
        let lower = value.lowercased()
        guard lower.count >= 4, lower.count <= 32, lower.allSatisfy(\.isHexDigit) else {
            throw ValidationError("filter \(key):\(value) needs an id or an id prefix of at least 4 characters")
        }
        return lower
    }
}
