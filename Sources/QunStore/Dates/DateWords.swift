import Foundation

/// Date words as operators type them (`--due fri`, `due.before:eow`), resolved against a
/// given today so that the result never depends on when a test runs.
///
/// Accepted, case-insensitive:
/// - `today`, `tomorrow`, `yesterday` (also 今天, 明天, 后天, 昨天)
/// - `eow`: end of this week, the coming Sunday (today if it is Sunday)
/// - `eom`: the last day of this month
/// - `mon` … `sun` (or `monday` … `sunday`): the next such day, today excluded — on a
///   Friday, `fri` is a week away, because "due fri" said on Friday means next Friday
/// - `+3d`, `-7d`, `+2w`, `+1m`: days, weeks or months from today
/// - `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM`
/// - `MM-DD`: that day this year, or next year if it has passed (dates are mostly ahead)
///
/// Any word but a full date may carry a time as `THH:MM` (`tomorrowT09:00`).
public enum DateWords {
    /// What an error message lists.
    public static let accepted = "today, tomorrow, yesterday, eow, eom, mon…sun, +3d, -7d, +2w, +1m, YYYY-MM-DD, YYYY-MM-DDTHH:MM or MM-DD (a time may follow as THH:MM, e.g. tomorrowT09:00)"

    /// Resolves `word` to a day (and time, if given).
    ///
    /// - Parameter field: the name used in the error, e.g. `due`.
    public static func resolve(_ word: String, today: CalendarDay, field: String = "date") throws -> LocalDate {
        let text = word.trimmingCharacters(in: .whitespaces)
        func invalid() -> StoreError {
            .invalidValue(field: field, value: word, expected: "a date word: \(accepted)")
        }
        if let full = LocalDate(text) { return full }
        var body = Substring(text)
        var time: String?
        if body.count > 6 {
            let marker = body.index(body.endIndex, offsetBy: -6)
            if body[marker] == "T" || body[marker] == "t", let parsed = LocalDate.time(body[body.index(after: marker)...]) {
                time = parsed
                body = body[..<marker]
            }
        }
        guard let day = self.day(body.lowercased(), today: today) else { throw invalid() }
        return LocalDate(day: day, time: time)
    }

    /// Resolves a word that must name a whole day (filters compare days).
    public static func day(_ word: String, today: CalendarDay, field: String = "date") throws -> CalendarDay {
        try resolve(word, today: today, field: field).day
    }

    private static let weekdays: [String: Int] = [
        "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7,
        "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6, "sunday": 7,
        "周一": 1, "周二": 2, "周三": 3, "周四": 4, "周五": 5, "周六": 6, "周日": 7,
    ]

    private static func day(_ word: String, today: CalendarDay) -> CalendarDay? {
        switch word {
        case "today", "今天": return today
        case "tomorrow", "明天": return today.adding(days: 1)
        case "后天": return today.adding(days: 2)
        case "yesterday", "昨天": return today.adding(days: -1)
        case "eow": return today.adding(days: 7 - today.weekday)
        case "eom": return today.endOfMonth
        default: break
        }
        if let weekday = weekdays[word] {
            let ahead = (weekday - today.weekday + 7) % 7
            return today.adding(days: ahead == 0 ? 7 : ahead)
        }
        if let relative = relative(word, today: today) { return relative }
        let parts = word.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 2, parts[0].count == 2, parts[1].count == 2,
           let month = Int(parts[0]), let dayOfMonth = Int(parts[1]) {
            // 02-29 is a day only in leap years: look ahead up to the next one.
            for year in today.year...(today.year + 8) {
                if let candidate = CalendarDay(year: year, month: month, day: dayOfMonth), candidate >= today {
                    return candidate
                }
            }
        }
        return nil
    }

    /// `+3d`, `-7d`, `+2w`, `+1m` (a sign is required, so `3d` is not mistaken for a typo of
    /// something else).
    private static func relative(_ word: String, today: CalendarDay) -> CalendarDay? {
        guard let sign = word.first, sign == "+" || sign == "-", let unit = word.last else { return nil }
        let digits = word.dropFirst().dropLast()
        guard !digits.isEmpty, digits.count <= 4, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              let amount = Int(digits) else { return nil }
        let signed = sign == "-" ? -amount : amount
        switch unit {
        case "d": return today.adding(days: signed)
        case "w": return today.adding(days: 7 * signed)
        case "m": return today.adding(months: signed)
        default: return nil
        }
    }
}
