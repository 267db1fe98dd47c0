/// A day with an optional wall-clock time, as stored in `due`: `YYYY-MM-DD` or
/// `YYYY-MM-DDTHH:MM`, local time. Local rather than UTC because "the morning post at 08:00"
/// means 08:00 wherever the team is, and the text sorts in time order as it is.
public struct LocalDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var day: CalendarDay
    /// `HH:MM`, or nil for the whole day.
    public var time: String?

    public init(day: CalendarDay, time: String? = nil) {
        self.day = day
        self.time = time
    }

    /// Parses exactly `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "T", maxSplits: 1, omittingEmptySubsequences: false)
        guard let day = CalendarDay(parts[0]) else { return nil }
        self.day = day
        if parts.count == 2 {
            guard let time = LocalDate.time(parts[1]) else { return nil }
            self.time = time
        } else {
            time = nil
        }
    }

    /// `HH:MM` with 00 ≤ HH ≤ 23 and 00 ≤ MM ≤ 59, or nil.
    public static func time(_ text: some StringProtocol) -> String? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let hour = Int(parts[0]), let minute = Int(parts[1]),
              (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        return String(text)
    }

    public var description: String {
        time.map { "\(day)T\($0)" } ?? day.description
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        lhs.description < rhs.description
    }
}
