import Foundation

/// Checks on task field values, shared by every front (CLI, REPL, the event run-sheet).
public enum TaskValidation {
    public static func title(_ text: String) throws -> String {
        try RecordText.line(text, field: "title")
    }

    /// Any operator name: teammates join over time, so no list is checked.
    public static func assignee(_ text: String) throws -> String {
        try RecordText.line(text, field: "assignee", limit: 64, expected: "an operator name of at most 64 characters")
    }

    /// A resolved due date: `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM` (use `DateWords` first for
    /// words like `fri`).
    public static func due(_ text: String, field: String = "due") throws -> String {
        guard let date = LocalDate(text.trimmingCharacters(in: .whitespaces)) else {
            throw StoreError.invalidValue(field: field, value: text, expected: "a date YYYY-MM-DD or YYYY-MM-DDTHH:MM")
        }
        return date.description
    }

    public static func day(_ text: String, field: String) throws -> String {
        guard let day = CalendarDay(text.trimmingCharacters(in: .whitespaces)) else {
            throw StoreError.invalidValue(field: field, value: text, expected: "a date YYYY-MM-DD")
        }
        return day.description
    }

    /// `H`, `M`, `L` (or `high`, `medium`, `low`), any case.
    public static func priority(_ text: String) throws -> TaskItem.Priority {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "h", "high": return .high
        case "m", "medium": return .medium
        case "l", "low": return .low
        default: throw StoreError.invalidValue(field: "priority", value: text, expected: "one of H, M, L")
        }
    }

    public static func status(_ text: String) throws -> TaskItem.Status {
        try ChoiceValidation.parse(text, field: "status")
    }

    public static func recurrence(_ text: String) throws -> TaskItem.Recurrence {
        try ChoiceValidation.parse(text, field: "recur")
    }

    /// The largest run-sheet offset, in days either side of the event's start (ten years).
    public static let maximumOffset = 3660

    public static func offset(_ text: String) throws -> Int {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let value = Int(trimmed.hasPrefix("+") ? String(trimmed.dropFirst()) : trimmed), abs(value) <= maximumOffset else {
            throw StoreError.invalidValue(field: "offset", value: text, expected: "a whole number of days from the event's start, e.g. -3")
        }
        return value
    }

    public static func tag(_ text: String) throws -> String { try MemberValidation.tag(text) }

    public static func note(_ text: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw StoreError.missingValue(field: "annotation") }
        return trimmed
    }
}
