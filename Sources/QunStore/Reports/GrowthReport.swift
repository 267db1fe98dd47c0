import GRDB
import QunCore

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

extension Store {
    /// The last `weeks` weeks up to and including the week of `today` (default today).
    public func growthReport(weeks: Int = 12, today: CalendarDay? = nil) throws -> GrowthReport {
        guard (1...520).contains(weeks) else {
            throw StoreError.invalidValue(field: "weeks", value: String(weeks), expected: "a number of weeks from 1 to 520")
        }
        let today = today ?? localToday()
        let lastMonday = today.adding(days: -(today.weekday - 1))
        let mondays = (0..<weeks).map { lastMonday.adding(days: 7 * ($0 - (weeks - 1))) }
        func monday(_ day: CalendarDay) -> CalendarDay { day.adding(days: -(day.weekday - 1)) }
        var joined: [CalendarDay: Set<String>] = [:]
        var left: [CalendarDay: Set<String>] = [:]
        var active: [CalendarDay: Set<String>] = [:]
        var messages: [CalendarDay: Int] = [:]

        let members = try members(MemberFilter())
        let attended = try events()
        try database.read { db in
            let matcher = try ChatSenderMatcher(db)
            var memberJoined: Set<String> = []
            for member in members {
                if let day = member.joined.flatMap({ CalendarDay($0.prefix(10)) }) {
                    joined[monday(day), default: []].insert("m:" + member.id)
                    memberJoined.insert(member.id)
                }
            }
            // Left: the clock stamp of the winning `status = left` edit, as in the churn report.
            var memberLeft: Set<String> = []
            let stamps = try Row.fetchAll(db, sql: """
                SELECT m.uid, fv.hlc FROM member m
                JOIN field_value fv ON fv.record = m.record
                JOIN name f ON f.rowid = fv.field AND f.text = ?
                WHERE m.deleted = 0 AND m.status = ?
                """, arguments: [Member.Field.status.rawValue, Member.Status.left.rawValue])
            for row in stamps {
                let id: String = try row.required(0, of: "member")
                let day = CalendarDay.at(milliseconds: try row.required(1, of: "field_value", as: HLC.self).milliseconds)
                left[monday(day), default: []].insert("m:" + id)
                memberLeft.insert(id)
            }
            // The chat's joins and leaves, for the people the records above do not already count.
            var firstJoin: [String: CalendarDay] = [:]
            let lines = try Row.fetchCursor(db, sql: "SELECT sender, at, kind FROM chat_message WHERE kind IN (1, 2)")
            while let row = try lines.next() {
                let key: String = row[0]
                let day = ChatTime(seconds: row[1]).day
                let member = matcher.match(key)?.member
                let person = member.map { "m:" + $0 } ?? "k:" + key
                if (row[2] as Int) == 1 {
                    if let member, memberJoined.contains(member) { continue }
                    if firstJoin[person].map({ day < $0 }) ?? true { firstJoin[person] = day }
                } else {
                    if let member, memberLeft.contains(member) { continue }
                    left[monday(day), default: []].insert(person)
                }
            }
            for (person, day) in firstJoin { joined[monday(day), default: []].insert(person) }

            // Active: members by what they did; unmatched senders by their messages.
            let activity = try MemberActivityLedger.events(for: nil, attended: attended, db: db)
            for (id, events) in activity {
                for event in events where event.kind != .interaction {
                    active[monday(event.day), default: []].insert("m:" + id)
                }
            }
            for (key, days) in try MemberActivityLedger.chatMessagesByDay(db) {
                let person = matcher.match(key).map { "m:" + $0.member } ?? "k:" + key
                for (day, count) in days {
                    let week = monday(CalendarDay(daysSinceEpoch: day))
                    active[week, default: []].insert(person)
                    messages[week, default: 0] += count
                }
            }
        }
        return GrowthReport(weeks: mondays.map { start in
            GrowthReport.Week(start: start, joined: joined[start]?.count ?? 0, left: left[start]?.count ?? 0,
                              active: active[start]?.count ?? 0, messages: messages[start] ?? 0)
        })
    }
}
