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
            } else if word.hasPrefix("+"), word.count > 1 {
                filter.withTags.append(String(word.dropFirst()))
            } else if isRelativeDate(word) {
                throw ValidationError("'\(word)' is a date, not a filter: write due.after:\(word) or due.before:\(word) (see `qun help filters`)")
            } else if word.hasPrefix("-"), word.count > 1, !word.hasPrefix("--") {
                filter.withoutTags.append(String(word.dropFirst()))
            } else if word.hasPrefix("--") {
                let key = String(word.dropFirst(2).prefix { $0 != "=" })
                let hint = Suggestion.closest(to: key.lowercased(), in: keys).map { " — did you mean the filter \($0):VALUE?" } ?? ""
                throw ValidationError("unknown option '\(word)' for task list\(hint) See `qun help filters`")
            } else if let colon = word.firstIndex(of: ":"), colon != word.startIndex {
                let key = word[..<colon].lowercased()
                let value = String(word[word.index(after: colon)...])
                guard !value.isEmpty else { throw ValidationError("filter '\(word)' has no value: write \(key):VALUE") }
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
                    let hint = Suggestion.closest(to: key, in: keys).map { " — did you mean \($0):?" } ?? ""
                    throw ValidationError("unknown filter '\(key):'\(hint) Filters: \(keys.map { $0 + ":" }.joined(separator: " ")) +tag -tag +OVERDUE WORD (see `qun help filters`)")
                }
            } else {
                filter.words.append(word)
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
