import Foundation

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

    /// This date moved by as much as `from` moved to `to`: by whole days when this date has
    /// no time, else by minutes (a missing time counts as 00:00).
    public func shifted(from: LocalDate, to: LocalDate) -> LocalDate {
        guard let time, let minutes = LocalDate.minutes(time) else {
            return LocalDate(day: day.adding(days: from.day.days(to: to.day)), time: nil)
        }
        let delta = from.day.days(to: to.day) * 1440
            + (to.time.flatMap(LocalDate.minutes) ?? 0) - (from.time.flatMap(LocalDate.minutes) ?? 0)
        let total = day.daysSinceEpoch * 1440 + minutes + delta
        let days = Int((Double(total) / 1440).rounded(.down))
        let rest = total - days * 1440
        return LocalDate(day: CalendarDay(daysSinceEpoch: days),
                         time: String(format: "%02d:%02d", rest / 60, rest % 60))
    }

    /// Minutes since midnight of an `HH:MM` time.
    static func minutes(_ time: String) -> Int? {
        let parts = time.split(separator: ":")
        guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]) else { return nil }
        return hour * 60 + minute
    }

    /// The local day and time, to the minute, of an instant (milliseconds since 1970).
    public static func at(milliseconds: Int64, in timeZone: TimeZone = .current) -> LocalDate {
        let day = CalendarDay.at(milliseconds: milliseconds, in: timeZone)
        let offset = Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(milliseconds) / 1000)))
        let local = milliseconds / 1000 + offset
        let minute = Int(((local % 86_400) + 86_400) % 86_400) / 60
        return LocalDate(day: day, time: String(format: "%02d:%02d", minute / 60, minute % 60))
    }
}
