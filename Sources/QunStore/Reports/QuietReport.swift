import GRDB

/// Who went quiet (潜水): members with no message, check-in or event attendance in the last
/// `days` days, longest quiet first: the people to reach out to.
///
/// A member who never did anything counts from their joined day, so someone who joined
/// yesterday is not quiet yet; a member with neither activity nor a joined day is listed
/// first, as quiet for as long as anyone can tell. Members who left, admins and deleted
/// members are not listed.
public struct QuietReport: Sendable, Equatable {
    /// What a member's last sign of life was.
    public enum Source: String, Sendable, CaseIterable {
        case message, checkin, attendance
        /// No activity at all: the member's joined day.
        case joined
    }

    public struct Entry: Sendable, Equatable {
        public var member: Member
        /// The day of the last message, check-in or attendance, or the joined day; nil when
        /// the member has neither.
        public var lastSeen: CalendarDay?
        public var source: Source?
        /// Whole days from `lastSeen` to the reference day; nil with `lastSeen`.
        public var daysQuiet: Int?
    }

    public var days: Int
    public var reference: CalendarDay
    /// Never seen first, then the longest quiet; ties by member number, name, id.
    public var entries: [Entry]
    /// Members the report looked at (live, not left, not admin).
    public var considered: Int
}

extension Store {
    /// Members quiet for `days` days or more at `today` (default today).
    public func quietReport(days: Int = 30, today: CalendarDay? = nil) throws -> QuietReport {
        guard (1...3660).contains(days) else {
            throw StoreError.invalidValue(field: "days", value: String(days), expected: "a number of days from 1 to 3660")
        }
        let today = today ?? localToday()
        let members = try members(MemberFilter()).filter { $0.role != .admin && $0.status != .left }
        let attended = try events()
        let activity = try database.read { db in try MemberActivityLedger.events(for: nil, attended: attended, db: db) }
        var entries: [QuietReport.Entry] = []
        for member in members {
            var last: (day: CalendarDay, source: QuietReport.Source)?
            for event in activity[member.id] ?? [] where event.day <= today {
                let source: QuietReport.Source
                switch event.kind {
                case .message: source = .message
                case .checkin: source = .checkin
                case .attendance: source = .attendance
                case .interaction: continue
                }
                if last.map({ event.day > $0.day }) ?? true { last = (event.day, source) }
            }
            if last == nil, let joined = member.joined.flatMap({ CalendarDay($0.prefix(10)) }) { last = (joined, .joined) }
            let quietDays = last.map { $0.day.days(to: today) }
            if let quietDays, quietDays < days { continue }
            entries.append(QuietReport.Entry(member: member, lastSeen: last?.day, source: last?.source, daysQuiet: quietDays))
        }
        entries.sort { a, b in
            switch (a.daysQuiet, b.daysQuiet) {
            case (nil, .some): return true
            case (.some, nil): return false
            case let (x?, y?) where x != y: return x > y
            default: break
            }
            if let order = LeaderboardReport.numberPrecedes(a.member.number, b.member.number) { return order }
            if a.member.name != b.member.name { return a.member.name.utf8.lexicographicallyPrecedes(b.member.name.utf8) }
            return a.member.id < b.member.id
        }
        return QuietReport(days: days, reference: today, entries: entries, considered: members.count)
    }
}
