/// A calendar month, `YYYY-MM`: the period of the leaderboard and of churn figures.
public struct ReportMonth: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    public init?(year: Int, month: Int) {
        guard (1900...2999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// Parses exactly `YYYY-MM`.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let year = Int(parts[0]), let month = Int(parts[1]) else { return nil }
        self.init(year: year, month: month)
    }

    /// Parses `YYYY-MM`, or throws an error that names the option and shows the form.
    public static func parse(_ text: String, field: String = "month") throws -> ReportMonth {
        guard let month = ReportMonth(text.trimmingCharacters(in: .whitespaces)) else {
            throw StoreError.invalidValue(field: field, value: text, expected: "a month YYYY-MM with 01 ≤ MM ≤ 12, e.g. 2026-11")
        }
        return month
    }

    public init(_ day: CalendarDay) {
        year = day.year
        month = day.month
    }

    public var firstDay: CalendarDay { CalendarDay(year: year, month: month, day: 1)! }
    public var lastDay: CalendarDay { firstDay.endOfMonth }
    public var days: ClosedRange<CalendarDay> { firstDay...lastDay }

    public func adding(months: Int) -> ReportMonth {
        ReportMonth(firstDay.adding(months: months))
    }

    public var description: String { "\(year)-\(month < 10 ? "0" : "")\(month)" }

    public static func < (a: ReportMonth, b: ReportMonth) -> Bool { (a.year, a.month) < (b.year, b.month) }
}
