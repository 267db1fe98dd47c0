import Foundation

/// Checks on event field values, shared by every front (CLI, REPL, import).
public enum EventValidation {
    public static func title(_ text: String) throws -> String {
        try RecordText.line(text, field: "title")
    }

    public static func kind(_ text: String) throws -> Event.Kind {
        try ChoiceValidation.parse(text, field: "kind")
    }

    public static func phase(_ text: String) throws -> Event.Phase {
        try ChoiceValidation.parse(text, field: "phase")
    }

    /// A start or end: `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM` or a date word (`sat`,
    /// `+14dT19:30`, …; see `DateWords`) read against `today`.
    public static func time(_ text: String, field: String, today: CalendarDay) throws -> LocalDate {
        try DateWords.resolve(text, today: today, field: field)
    }

    /// Whether an event running from `start` to `end` is well formed. A whole-day end only
    /// needs to be on or after the start's day: `2026-12-01T14:00` to `2026-12-01` is the
    /// afternoon of that day.
    public static func isValidRange(start: LocalDate, end: LocalDate) -> Bool {
        if start.time != nil && end.time != nil { return end >= start }
        return end.day >= start.day
    }

    /// A run-sheet due: an offset from the event's start day (see `runSheetOffset`), or a
    /// date word read against `today`.
    public static func runSheetDue(_ text: String, start: CalendarDay, today: CalendarDay) throws -> LocalDate {
        if let relative = runSheetOffset(text) {
            return LocalDate(day: start.adding(days: relative.days), time: relative.time)
        }
        do {
            return try DateWords.resolve(text, today: today, field: "due")
        } catch {
            throw StoreError.invalidValue(field: "due", value: text, expected: "an offset from the event's start day (-7d, +1d, -2w, -1dT18:00) or a date YYYY-MM-DD[THH:MM]")
        }
    }

    /// A run-sheet due relative to the event's start day: `-7d`, `+1d`, `0d`, `-2w`, with an
    /// optional time (`-1dT18:00`). Returns the offset in days and the time; nil when `text`
    /// is not relative (then it is an ordinary date word).
    public static func runSheetOffset(_ text: String) -> (days: Int, time: String?)? {
        var word = Substring(text.trimmingCharacters(in: .whitespaces).lowercased())
        var time: String?
        if let marker = word.firstIndex(of: "t") {
            guard let parsed = LocalDate.time(word[word.index(after: marker)...]) else { return nil }
            time = parsed
            word = word[..<marker]
        }
        guard let unit = word.last, unit == "d" || unit == "w" else { return nil }
        word = word.dropLast()
        var sign = 1
        if word.first == "+" { word = word.dropFirst() } else if word.first == "-" { sign = -1; word = word.dropFirst() }
        guard !word.isEmpty, word.count <= 4, word.allSatisfy({ $0.isASCII && $0.isNumber }), let count = Int(word) else { return nil }
        return (sign * count * (unit == "w" ? 7 : 1), time)
    }

    public static func target(_ text: String) throws -> Int64 {
        guard let number = Int64(text.trimmingCharacters(in: .whitespaces)), number >= 0, number <= 1_000_000 else {
            throw StoreError.invalidValue(field: "target", value: text, expected: "a whole number of sign-ups, 0 or more")
        }
        return number
    }

    /// Yuan, up to two decimals (分). Stored as an integer when whole, so `3000` reads back
    /// as `3000`, not `3000.0`.
    public static func budget(_ text: String) throws -> Double {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
            .replacingOccurrences(of: "¥", with: "").replacingOccurrences(of: "元", with: "")
        let decimals = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard let number = Double(trimmed), number.isFinite, number >= 0, number < 1e12,
              trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              decimals.count <= 2, (decimals.count < 2 || decimals[1].count <= 2) else {
            throw StoreError.invalidValue(field: "budget", value: text, expected: "an amount in yuan, e.g. 3000 or 1288.50")
        }
        return number
    }

    /// A retrospective line: one non-empty line of text.
    public static func retroLine(_ text: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw StoreError.missingValue(field: "retrospective line") }
        return trimmed
    }
}
