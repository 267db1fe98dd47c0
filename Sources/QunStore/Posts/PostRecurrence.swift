import Crypto
import Foundation
import GRDB
import QunCore

/// Instances of recurring posts, made the way recurring tasks' are (see `TaskRecurrence`):
/// an instance's id is derived from its routine's id and its day, and generation writes only
/// `template` and `date`, values every laptop writes identically. Two laptops generating the
/// same day offline therefore hold one post after they sync, and neither can undo the
/// other's `done` or edit. An instance this laptop has any record of (deleted included) is
/// never written again.
public enum PostRecurrence {
    /// How many instances one routine keeps generated: the latest, up to the horizon.
    public static let window = 60

    /// How far ahead instances are made: tomorrow's post is in the calendar today.
    public static let daysAhead = 1

    /// The id of `template`'s instance on `day`: the first 32 hex characters of
    /// SHA-256("post-instance:" + template + ":" + day). The prefix differs from tasks', so a
    /// post and a task can never share an id.
    public static func instanceID(template: String, day: CalendarDay) -> String {
        let digest = SHA256.hash(data: Data("post-instance:\(template):\(day)".utf8))
        return digest.map { String(format: "%02x", $0) }.joined().prefix(32).description
    }

    /// The days a routine has instances on: every occurrence from `first` up to `today` plus
    /// `daysAhead`, at most `window` (the latest), none after `until`.
    public static func days(first: CalendarDay, recur: Post.Recurrence, until: CalendarDay?, today: CalendarDay) -> [CalendarDay] {
        var horizon = today.adding(days: daysAhead)
        if let until, until < horizon { horizon = until }
        guard horizon >= first else { return [] }
        let step = recur == .daily ? 1 : 7
        let last = first.days(to: horizon) / step
        return (max(0, last - (window - 1))...last).map { first.adding(days: step * $0) }
    }

    /// Whether `day` is one of a routine's days (for a calendar's recurrence rule).
    static func falls(on day: CalendarDay, first: CalendarDay, recur: Post.Recurrence, until: CalendarDay?) -> Bool {
        guard day >= first, until.map({ day <= $0 }) ?? true else { return false }
        return recur == .daily || first.days(to: day) % 7 == 0
    }
}

extension Store {
    /// Writes the instances missing on this laptop for every live routine, up to tomorrow of
    /// `today`, in one write (none when nothing is missing). Returns how many were written.
    /// Not an undoable command: the instances would only come back with the next one.
    @discardableResult
    public func generatePostInstances(today: CalendarDay? = nil) throws -> Int {
        let today = today ?? localToday()
        let missing = try database.read { db in try Store.missingPostInstances(db, today: today) }
        guard !missing.isEmpty else { return 0 }
        return try write(recordingCommand: false) { tx in
            // Read again under the write lock: another process may have generated meanwhile.
            let missing = try Store.missingPostInstances(tx.db, today: today)
            for instance in missing { try tx.writePostInstance(instance) }
            return missing.count
        }
    }

    static func missingPostInstances(_ db: Database, today: CalendarDay) throws -> [PostInstance] {
        let routines = try Row.fetchAll(db, sql: """
            SELECT uid, at, recur, until FROM post
            WHERE recur IS NOT NULL AND template IS NULL AND deleted = 0 AND at IS NOT NULL ORDER BY uid
            """)
        return try routines.flatMap { row in
            try missingPostInstances(db, template: row[0], at: row[1], recur: row[2], until: row[3], today: today)
        }
    }

    /// The instances of one routine that this store has no record of (deleted included).
    static func missingPostInstances(_ db: Database, template uid: String, at: String?, recur: String?, until: String?,
                                     today: CalendarDay) throws -> [PostInstance] {
        guard let first = at.flatMap({ LocalDate($0)?.day }),
              let recur = recur.flatMap(Post.Recurrence.init(rawValue:)) else { return [] }
        let exists = try db.cachedStatement(sql: """
            SELECT 1 FROM record JOIN name ON name.rowid = record.collection WHERE name.text = 'post' AND record.uid = ?
            """)
        return try PostRecurrence.days(first: first, recur: recur, until: until.flatMap { CalendarDay($0) }, today: today)
            .map { PostInstance(id: PostRecurrence.instanceID(template: uid, day: $0), template: uid, day: $0) }
            .filter { try Int.fetchOne(exists, arguments: [$0.id]) == nil }
    }
}

/// One instance to generate.
struct PostInstance {
    var id: String
    var template: String
    var day: CalendarDay
}

extension WriteTransaction {
    /// Generation's only writes: the same on every laptop.
    func writePostInstance(_ instance: PostInstance) throws {
        try set(.postCollection, instance.id, Post.Field.template.rawValue, .text(instance.template))
        try set(.postCollection, instance.id, Post.Field.date.rawValue, .text(instance.day.description))
    }

    /// Generates a routine's instances inside the command that made it, so that undoing the
    /// command removes them with it.
    func generatePostInstances(ofTemplate uid: String, today: CalendarDay) throws {
        try flush()
        guard let snapshot = try postSnapshot(uid) else { return }
        func text(_ field: Post.Field) -> String? { snapshot.registers[field.rawValue]?.text }
        for instance in try Store.missingPostInstances(db, template: uid, at: text(.at), recur: text(.recur),
                                                        until: text(.until), today: today) {
            try writePostInstance(instance)
        }
    }
}
