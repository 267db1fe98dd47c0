import GRDB
import QunCore

/// Reads what members did — interactions, check-ins, event attendance — out of the merged
/// state, in a few queries for the whole community rather than a few per member (the
/// leaderboard scores everyone).
enum MemberActivityLedger {
    /// Activity events by member id, for `memberIDs` (nil: every member). `attended` is the
    /// live events (`Store.events()`), read before: their attendance counts.
    static func events(for memberIDs: Set<String>?, attended: [Event], db: Database) throws -> [String: [ActivityEvent]] {
        var events: [String: [ActivityEvent]] = [:]
        func wanted(_ id: String) -> Bool { memberIDs?.contains(id) ?? true }

        // Interactions (dated by when they were recorded) and check-ins (by the day written).
        let entries = try Row.fetchCursor(db, sql: """
            SELECT rec.uid, f.text, t.element, t.hlc FROM set_tag t
            JOIN record rec ON rec.rowid = t.record
            JOIN name c ON c.rowid = rec.collection AND c.text = ?
            JOIN name f ON f.rowid = t.field AND f.text IN (?, ?)
            WHERE \(MergeRules.present(.logEntry, table: "t"))
            """, arguments: [String.memberCollection, Member.logField, Member.checkinsField])
        while let row = try entries.next() {
            let id: String = try row.required(0, of: "record")
            guard wanted(id) else { continue }
            let field: String = try row.required(1, of: "name")
            let text: String = try row.required(2, of: "set_tag")
            if field == Member.checkinsField {
                guard let parsed = Checkin.parse(text) else { continue }
                events[id, default: []].append(ActivityEvent(kind: .checkin, day: parsed.day, detail: parsed.note))
            } else {
                let day = CalendarDay.at(milliseconds: try row.required(3, of: "set_tag", as: HLC.self).milliseconds)
                events[id, default: []].append(ActivityEvent(kind: .interaction, day: day, detail: text))
            }
        }

        // Chat messages, one event per member and day of the chat's own clock.
        let matcher = try ChatSenderMatcher(db)
        var perDay: [String: [Int: Int]] = [:]
        for (key, days) in try chatMessagesByDay(db) {
            guard let id = matcher.match(key)?.member, wanted(id) else { continue }
            for (day, count) in days { perDay[id, default: [:]][day, default: 0] += count }
        }
        for (id, days) in perDay {
            for (day, count) in days {
                events[id, default: []].append(ActivityEvent(kind: .message, day: CalendarDay(daysSinceEpoch: day), detail: nil, count: count))
            }
        }

        // Attendance at live events, dated by the event's start day.
        for event in attended {
            guard let start = event.start, let day = CalendarDay(start.prefix(10)) else { continue }
            for id in event.attendance where wanted(id) {
                events[id, default: []].append(ActivityEvent(kind: .attendance, day: day, detail: event.title))
            }
        }
        return events
    }

    /// Messages per sender key and day (days since 1970-01-01 of the chat's clock).
    static func chatMessagesByDay(_ db: Database) throws -> [String: [(day: Int, count: Int)]] {
        var result: [String: [(day: Int, count: Int)]] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT sender, (at - ((at % 86400) + 86400) % 86400) / 86400 AS day, count(*) FROM chat_message
            WHERE kind = 0 GROUP BY sender, day
            """)
        while let row = try rows.next() {
            result[row[0], default: []].append((row[1], row[2]))
        }
        return result
    }
}
