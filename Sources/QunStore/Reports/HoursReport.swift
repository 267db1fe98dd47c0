import GRDB

/// When the group is awake (活跃时间): messages by weekday and hour of day, on the group's
/// own clock (the times as the chat export wrote them, see `ChatTime`), for picking when to
/// post. Join, leave and recall lines are not messages and are not counted.
public struct HoursReport: Sendable, Equatable {
    /// The first and last day counted.
    public var from: CalendarDay
    public var to: CalendarDay
    /// `counts[weekday][hour]`: weekday 0 is Monday, 6 Sunday; hour 0 to 23.
    public var counts: [[Int]]

    public init(from: CalendarDay, to: CalendarDay, counts: [[Int]]) {
        self.from = from
        self.to = to
        self.counts = counts
    }

    /// Every message counted.
    public var messages: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }
    /// Messages by hour of day, 0 to 23, over every weekday.
    public var byHour: [Int] { (0..<24).map { hour in counts.reduce(0) { $0 + $1[hour] } } }
    /// Messages by weekday, Monday first.
    public var byWeekday: [Int] { counts.map { $0.reduce(0, +) } }

    /// The busiest weekday-and-hour slots, most messages first (ties: earlier in the week,
    /// then earlier in the day), at most `limit`, only slots with a message.
    public func busiest(_ limit: Int = 3) -> [(weekday: Int, hour: Int, messages: Int)] {
        var slots: [(weekday: Int, hour: Int, messages: Int)] = []
        for (weekday, hours) in counts.enumerated() {
            for (hour, count) in hours.enumerated() where count > 0 { slots.append((weekday, hour, count)) }
        }
        slots.sort { a, b in
            if a.messages != b.messages { return a.messages > b.messages }
            if a.weekday != b.weekday { return a.weekday < b.weekday }
            return a.hour < b.hour
        }
        return Array(slots.prefix(limit))
    }

    /// English weekday names, Monday first, as the report prints them.
    public static let weekdayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
}
