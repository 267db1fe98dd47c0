import Crypto
import Foundation
import GRDB
import QunCore

/// Instances of recurring tasks (例行 SOP: the morning post, the weekly rules reminder).
///
/// Every laptop generates instances on its own, offline, so an instance's identity must not
/// depend on who made it: its id is derived from the template id and the day, and generation
/// writes only `template` and `date` — values every laptop writes identically. Two laptops
/// generating the same day therefore make one record whose fields agree, and neither can
/// overwrite the other's `done` or edit. An instance that exists in any state (deleted
/// included) is never written again by this laptop; a concurrent re-generation elsewhere is
/// only a concurrent `set`, and delete wins over it.
public enum TaskRecurrence {
    /// How many instances one template keeps generated: the most recent up to today, plus the
    /// next one ahead. Older days are history nobody will tick off.
    public static let window = 60

    /// The id of `template`'s instance on `day`: the first 32 hex characters of
    /// SHA-256("task-instance:" + template + ":" + day).
    public static func instanceID(template: String, day: CalendarDay) -> String {
        let digest = SHA256.hash(data: Data("task-instance:\(template):\(day)".utf8))
        return digest.map { String(format: "%02x", $0) }.joined().prefix(32).description
    }

    /// The days a template has instances on, given today: every occurrence from `first` up
    /// to today and the next one after it, at most `window` (the latest), none after `until`.
    public static func days(first: CalendarDay, recur: TaskItem.Recurrence, until: CalendarDay?, today: CalendarDay) -> [CalendarDay] {
        func occurrence(_ k: Int) -> CalendarDay {
            switch recur {
            case .daily: return first.adding(days: k)
            case .weekly: return first.adding(days: 7 * k)
            case .monthly: return first.adding(months: k, dayOfMonth: first.day)
            }
        }
        // The index of the first occurrence after today.
        var next = 0
        if today >= first {
            switch recur {
            case .daily: next = first.days(to: today) + 1
            case .weekly: next = first.days(to: today) / 7 + 1
            case .monthly:
                let months = (today.year * 12 + today.month) - (first.year * 12 + first.month)
                next = occurrence(months) > today ? months : months + 1
            }
        }
        var days: [CalendarDay] = []
        for k in max(0, next - (window - 1))...next {
            let day = occurrence(k)
            if let until, day > until { break }
            days.append(day)
        }
        return days
    }
}

extension Store {
    /// Writes the instances missing on this laptop for every live, open recurrence template,
    /// in one write (none when nothing is missing). Returns how many were written. Not an
    /// undoable command: the instances would only come back with the next command.
    @discardableResult
    public func generateTaskInstances(today: CalendarDay? = nil) throws -> Int {
        let today = today ?? localToday()
        let missing = try database.read { db in try Store.missingInstances(db, today: today) }
        guard !missing.isEmpty else { return 0 }
        return try write(recordingCommand: false) { tx in
            // Read again under the write lock: another process may have generated meanwhile.
            let missing = try Store.missingInstances(tx.db, today: today)
            for instance in missing {
                try tx.set(.taskCollection, instance.id, TaskItem.Field.template.rawValue, .text(instance.template))
                try tx.set(.taskCollection, instance.id, TaskItem.Field.date.rawValue, .text(instance.day.description))
            }
            return missing.count
        }
    }

    static func missingInstances(_ db: Database, today: CalendarDay) throws -> [(id: String, template: String, day: CalendarDay)] {
        let templates = try Row.fetchAll(db, sql: """
            SELECT uid, due, recur, until FROM task
            WHERE recur IS NOT NULL AND template IS NULL AND deleted = 0 AND status NOT IN ('done', 'dropped') AND due IS NOT NULL
            ORDER BY uid
            """)
        var missing: [(id: String, template: String, day: CalendarDay)] = []
        for row in templates {
            missing += try missingInstances(db, template: row[0], due: row[1], recur: row[2], until: row[3], today: today)
        }
        return missing
    }

    /// The instances of one template that this store has no record of (deleted included).
    static func missingInstances(_ db: Database, template uid: String, due: String?, recur: String?, until: String?,
                                 today: CalendarDay) throws -> [(id: String, template: String, day: CalendarDay)] {
        guard let first = due.flatMap({ LocalDate($0)?.day }),
              let recur = recur.flatMap(TaskItem.Recurrence.init(rawValue:)) else { return [] }
        let exists = try db.cachedStatement(sql: """
            SELECT 1 FROM record JOIN name ON name.rowid = record.collection WHERE name.text = 'task' AND record.uid = ?
            """)
        var missing: [(id: String, template: String, day: CalendarDay)] = []
        for day in TaskRecurrence.days(first: first, recur: recur, until: until.flatMap { CalendarDay($0) }, today: today) {
            let id = TaskRecurrence.instanceID(template: uid, day: day)
            if try Int.fetchOne(exists, arguments: [id]) == nil {
                missing.append((id, uid, day))
            }
        }
        return missing
    }
}

extension WriteTransaction {
    /// Generates a template's instances inside the command that made it, so that undoing
    /// the command removes them with it.
    func generateInstances(ofTemplate uid: String, today: CalendarDay) throws {
        try flush()
        guard let snapshot = try taskSnapshot(uid) else { return }
        func text(_ field: TaskItem.Field) -> String? { snapshot.registers[field.rawValue]?.text }
        for instance in try Store.missingInstances(db, template: uid, due: text(.due), recur: text(.recur),
                                                    until: text(.until), today: today) {
            try set(.taskCollection, instance.id, TaskItem.Field.template.rawValue, .text(instance.template))
            try set(.taskCollection, instance.id, TaskItem.Field.date.rawValue, .text(instance.day.description))
        }
    }
}
