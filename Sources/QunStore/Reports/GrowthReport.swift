import GRDB

/// Growth week by week (增长): who joined, who left, who was active, and how much the group
/// talked, Monday to Sunday.
///
/// Each figure counts people, not lines:
/// - joined: members whose joined day is in the week, and people the chat saw join (`xx
///   加入了群聊`) that no member's joined day already counts — an unmatched joiner by their
///   chat name, a matched member without a joined day at their first chat join;
/// - left: members whose status was set to left in the week (the winning edit's clock, as in
///   `ChurnReport`), and people the chat saw leave that week who are not such a member;
/// - active: members with a message, check-in or attendance in the week, and chat senders no
///   member matches (each counted once by their sender key);
/// - messages: chat messages in the week.
public struct GrowthReport: Sendable, Equatable {
    public struct Week: Sendable, Equatable {
        /// The week's Monday.
        public var start: CalendarDay
        public var joined: Int
        public var left: Int
        public var active: Int
        public var messages: Int
    }

    /// Oldest first, ending with the week of the reference day.
    public var weeks: [Week]
}
