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
