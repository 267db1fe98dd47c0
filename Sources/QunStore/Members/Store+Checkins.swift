import Foundation
import GRDB
import QunCore

extension Member {
    /// The append-only log of check-ins (打卡). Each entry's text starts with the day
    /// checked in, `YYYY-MM-DD`, optionally followed by a space and a note.
    public static let checkinsField = "checkins"
}

/// One check-in (打卡) of a member, as read back from the `checkins` log.
public struct Checkin: Sendable, Equatable {
    /// The day the member checked in: the day the operator gave, not the day it was recorded.
    public var day: CalendarDay
    public var note: String?
    /// When it was recorded, and by which replica.
    public var at: HLC
    public var replica: ReplicaID

    /// The log entry text of a check-in: `YYYY-MM-DD` or `YYYY-MM-DD note`.
    static func entry(day: CalendarDay, note: String?) -> String {
        guard let note, !note.isEmpty else { return day.description }
        return "\(day) \(note)"
    }

    /// The day and note of a log entry; nil for text that does not start with a day (written
    /// by some other tool: it is kept, but does not count).
    static func parse(_ text: String) -> (day: CalendarDay, note: String?)? {
        guard let day = CalendarDay(text.prefix(10)) else { return nil }
        let rest = text.dropFirst(10)
        guard rest.isEmpty || rest.first == " " else { return nil }
        let note = rest.trimmingCharacters(in: .whitespaces)
        return (day, note.isEmpty ? nil : note)
    }
}

/// What `checkIn` recorded for one member.
public struct CheckinResult: Sendable, Equatable {
    public var member: Member
    public var day: CalendarDay
    public var note: String?
    /// The member's check-ins after this one, all days and all laptops.
    public var total: Int
}

extension Store {
    /// The day on this laptop's wall at the store's clock: the default "today" of check-ins and
    /// reports.
    public func localToday() -> CalendarDay {
        CalendarDay.at(milliseconds: now())
    }

    /// Checks members in (打卡) for `day` (default today), all in one transaction.
    ///
    /// A check-in is an entry appended to the member's `checkins` log rather than a counter
    /// increment: two laptops checking the same member in offline both keep their entry, and
    /// the count is derived from the merged log.
    ///
    /// - Throws: when a member is unknown or deleted, the day is in the future, or the note
    ///   spans lines; nothing is written then.
    public func checkIn(_ references: [String], day: CalendarDay? = nil, note: String? = nil) throws -> [CheckinResult] {
        guard !references.isEmpty else { throw StoreError.missingValue(field: "member") }
        let today = localToday()
        let day = day ?? today
        if day > today {
            throw StoreError.invalidValue(field: "date", value: day.description, expected: "today (\(today)) or an earlier day: a check-in records what happened")
        }
        let note = note?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let note, note.contains(where: \.isNewline) {
            throw StoreError.invalidValue(field: "note", value: String(note.prefix(20)), expected: "one line")
        }
        let text = Checkin.entry(day: day, note: note)
        let ids = try write { tx -> [String] in
            var ids: [String] = []
            for reference in references {
                let target = try tx.resolve(Member.self, reference)
                if ids.contains(target.uid) { continue }
                try tx.append(.memberCollection, target.uid, Member.checkinsField, text)
                ids.append(target.uid)
            }
            return ids
        }
        return try ids.map { id in
            CheckinResult(member: try member(id), day: day, note: note?.isEmpty == true ? nil : note,
                          total: try checkinCount(id))
        }
    }

    /// A member's check-ins, oldest recorded first.
    public func checkins(_ reference: String) throws -> [Checkin] {
        let target = try member(reference, includeDeleted: true)
        return try logEntries(.memberCollection, target.id, field: Member.checkinsField).compactMap { entry in
            guard let parsed = Checkin.parse(entry.text) else { return nil }
            return Checkin(day: parsed.day, note: parsed.note, at: entry.at, replica: entry.replica)
        }
    }

    /// How many check-ins a member has (every laptop's, merged).
    public func checkinCount(_ reference: String) throws -> Int {
        try checkins(reference).count
    }
}
