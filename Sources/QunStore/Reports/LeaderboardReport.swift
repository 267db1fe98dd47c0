import GRDB

/// The monthly activity leaderboard (活跃榜), for picking who gets the month's rewards.
///
/// A member's leaderboard score is the activity score (`ActivityFormula`) counting only
/// contributions dated in the month, decayed to the month's last day: late-month activity
/// weighs a little more, and nothing from other months leaks in. Contributions after
/// `today` do not count (an event of next week has no attendance yet).
///
/// Ranked: live members that have not left, admins excluded (they run the rewards), with a
/// score above zero. Ties are broken by member number (laptop prefix, then the number as a
/// number: `W4XE-9` before `W4XE-10`), then name, then id, so every laptop prints the same
/// order.
public struct LeaderboardReport: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        /// 1-based position after the tie-break.
        public var rank: Int
        public var member: Member
        public var score: Double
        public var contributions: Int
        /// Chat messages in the month (`qun import chat`), undecayed.
        public var messages: Int
    }

    /// What the board ranks by: the activity score, or the month's chat messages (话痨榜).
    public enum Ranking: String, Sendable, CaseIterable {
        case score, messages
    }

    public var month: ReportMonth
    public var ranking: Ranking
    /// The day scores are decayed to: the month's last day.
    public var reference: CalendarDay
    public var entries: [Entry]
    /// How many members scored above zero, before cutting to the top N.
    public var scored: Int
    public var formula: ActivityFormula

    /// Orders member numbers `PREFIX-N` by prefix, then N as a number; members without a
    /// number come last.
    static func numberPrecedes(_ a: String?, _ b: String?) -> Bool? {
        switch (a, b) {
        case (nil, nil): return nil
        case (nil, _): return false
        case (_, nil): return true
        case let (a?, b?):
            func split(_ text: String) -> (String, Int) {
                guard let dash = text.lastIndex(of: "-"), let n = Int(text[text.index(after: dash)...]) else { return (text, -1) }
                return (String(text[..<dash]), n)
            }
            let (pa, na) = split(a), (pb, nb) = split(b)
            if pa != pb { return pa.utf8.lexicographicallyPrecedes(pb.utf8) }
            if na != nb { return na < nb }
            return nil
        }
    }
}

extension Store {
    /// The top `top` members of `month` by activity (see `LeaderboardReport`).
    ///
    /// - Parameter today: the day after which nothing counts yet (default: today).
    public func leaderboardReport(month: ReportMonth, top: Int = 10, today: CalendarDay? = nil,
                                  formula: ActivityFormula = .standard) throws -> LeaderboardReport {
        guard top > 0 else { throw StoreError.invalidValue(field: "top", value: String(top), expected: "a positive number") }
        let today = today ?? self.localToday()
        let reference = month.lastDay
        // A month still to come has no window at all: nothing in it has happened.
        let last = min(month.lastDay, today)
        let window = month.firstDay <= last ? month.firstDay...last : nil
        let members = try members(MemberFilter())
        let attended = try events()
        let events = try database.read { db in try MemberActivityLedger.events(for: nil, attended: attended, db: db) }
        var scored: [(member: Member, activity: MemberActivity)] = []
        for member in members where member.role != .admin && member.status != .left {
            guard let window, let own = events[member.id] else { continue }
            let activity = MemberActivity(member: member, events: own, reference: reference, window: window, formula: formula)
            if activity.score > 0 { scored.append((member, activity)) }
        }
        scored.sort { a, b in
            if a.activity.score != b.activity.score { return a.activity.score > b.activity.score }
            if let order = LeaderboardReport.numberPrecedes(a.member.number, b.member.number) { return order }
            if a.member.name != b.member.name { return a.member.name.utf8.lexicographicallyPrecedes(b.member.name.utf8) }
            return a.member.id < b.member.id
        }
        let entries = scored.prefix(top).enumerated().map { index, item in
            LeaderboardReport.Entry(rank: index + 1, member: item.member, score: item.activity.score,
                                    contributions: item.activity.contributions.count, messages: 0)
        }
        return LeaderboardReport(month: month, ranking: .score, reference: reference, entries: entries, scored: scored.count, formula: formula)
    }
}
