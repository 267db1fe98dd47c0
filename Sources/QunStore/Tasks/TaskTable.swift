import Foundation
import GRDB
import QunCore

extension String {
    /// Operations tasks (运营任务).
    public static let taskCollection = "task"
}

/// The materialised `task` table: one row per task record, rewritten from merged state.
///
/// A row may depend on two other records, so it is composed here rather than copied:
/// - a recurrence instance shows its template's title, assignee, priority, tags and time of
///   day wherever it has no value of its own (generation writes only `template` and `date`,
///   so that two laptops generating the same instance never overwrite a teammate's edit);
/// - a run-sheet task with an `offset` and no `due` of its own is due `offset` days from its
///   event's start day, and moves when the event moves.
enum TaskTable {
    static let columns = #"record, uid, title, assignee, due, status, priority, tags, event, "offset", notes, recur, until, template, date, completed, created, deleted"#

    /// The columns `item(from:)` reads, by index.
    static let selection = #"uid, title, assignee, due, status, priority, tags, event, "offset", notes, recur, until, template, date, completed, created, deleted"#

    static func item(from row: Row) -> TaskItem {
        TaskItem(
            id: row[0], title: row[1], assignee: row[2], due: row[3],
            status: TaskItem.Status(rawValue: row[4]) ?? .todo,
            priority: (row[5] as String?).flatMap(TaskItem.Priority.init(rawValue:)),
            tags: MemberTable.parseTags(row[6]), event: row[7], offset: row[8], notesCount: row[9],
            recur: (row[10] as String?).flatMap(TaskItem.Recurrence.init(rawValue:)),
            until: row[11], template: row[12], date: row[13], completed: row[14],
            created: row[15], deleted: row[16])
    }

    /// The row of one task from its own merged state and, for an instance, its template's.
    static func compose(uid: String, own: RecordSnapshot, template: RecordSnapshot?, eventStart: CalendarDay?, created: Int64) -> TaskItem {
        func text(_ snapshot: RecordSnapshot?, _ field: TaskItem.Field) -> String? {
            switch snapshot?.registers[field.rawValue] {
            case .text(let value)? where !value.isEmpty: return value
            case .int(let value)?: return String(value)
            default: return nil
            }
        }
        func inherited(_ field: TaskItem.Field) -> String? { text(own, field) ?? text(template, field) }
        let templateID = text(own, .template)
        let date = text(own, .date)
        var due = text(own, .due)
        if due == nil, templateID != nil, let date {
            // The instance's day, at the template's time of day if it has one.
            due = text(template, .due).flatMap { LocalDate($0)?.time }.map { "\(date)T\($0)" } ?? date
        }
        // An offset this qun would not write (a peer's bug, or a hostile one) is ignored
        // rather than trusted: day arithmetic on it would overflow.
        var offset: Int?
        switch own.registers[TaskItem.Field.offset.rawValue] {
        case .int(let value)?: offset = Int(clamping: value)
        case .text(let value)?: offset = Int(value)
        default: offset = nil
        }
        if let value = offset, abs(value) > TaskValidation.maximumOffset { offset = nil }
        if due == nil, let offset, let eventStart {
            due = eventStart.adding(days: offset).description
        }
        let ownTags = own.sets[TaskItem.tagsField] ?? []
        let tags = ownTags.isEmpty ? (template?.sets[TaskItem.tagsField] ?? []) : ownTags
        return TaskItem(
            id: uid, title: inherited(.title) ?? "", assignee: inherited(.assignee), due: due,
            status: text(own, .status).flatMap(TaskItem.Status.init(rawValue:)) ?? .todo,
            priority: inherited(.priority).flatMap(TaskItem.Priority.init(rawValue:)),
            tags: tags, event: inherited(.event), offset: offset,
            notesCount: own.logCounts[TaskItem.notesField] ?? 0,
            recur: templateID == nil ? text(own, .recur).flatMap(TaskItem.Recurrence.init(rawValue:)) : nil,
            until: text(own, .until), template: templateID, date: date, completed: text(own, .completed),
            created: created, deleted: own.deleted)
    }

    static func write(_ item: TaskItem, record: Int64, db: Database) throws {
        let tags = JSON.array(item.tags.map { .string($0) }).compact
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO task(\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .execute(arguments: [
                record, item.id, item.title, item.assignee, item.due, item.status.rawValue, item.priority?.rawValue,
                tags, item.event, item.offset, item.notesCount, item.recur?.rawValue, item.until, item.template,
                item.date, item.completed, item.created, item.deleted,
            ])
    }
}

/// Keeps the `task` table up to date (see `TaskTable`). Plain tasks are written as they come;
/// instances, and the instances of every touched template, are written in `finish`, when
/// templates touched by the same batch are merged too.
struct TaskMaterialiser: Materialiser {
    private var instances: [Int64: (uid: String, snapshot: RecordSnapshot)] = [:]
    private var templates: Set<String> = []

    init(_ db: Database) throws {}

    mutating func write(_ snapshot: RecordSnapshot, record: Int64, uid: String, tx: WriteTransaction) throws {
        // Any task may be (or have just stopped being) a template that instances point to:
        // their rows follow it. One indexed look-up finds them. An instance too: a laptop
        // that had not yet heard it was one may have made it a routine and generated from it,
        // and then its instances inherit from its own fields, on every laptop alike.
        templates.insert(uid)
        if case .text(let template)? = snapshot.registers[TaskItem.Field.template.rawValue], !template.isEmpty {
            instances[record] = (uid, snapshot)
            return
        }
        try tx.writeTaskRow(snapshot, record: record, uid: uid, template: nil)
    }

    mutating func finish(tx: WriteTransaction) throws {
        for template in templates.sorted() {
            let rows = try Row.fetchAll(tx.db, sql: "SELECT record, uid FROM task WHERE template = ?", arguments: [template])
            for row in rows where instances[row[0]] == nil {
                let record: Int64 = row[0]
                let deleted = try Bool.fetchOne(tx.db, sql: "SELECT deleted FROM record WHERE rowid = ?", arguments: [record]) ?? false
                instances[record] = (row[1], try RecordSnapshot.load(record: record, deleted: deleted, db: tx.db, interner: tx.interner))
            }
        }
        var templateSnapshots: [String: RecordSnapshot?] = [:]
        for (record, instance) in instances.sorted(by: { $0.key < $1.key }) {
            let templateID = instance.snapshot.registers[TaskItem.Field.template.rawValue]?.text ?? ""
            if templateSnapshots[templateID] == nil {
                templateSnapshots[templateID] = .some(try tx.taskSnapshot(templateID))
            }
            try tx.writeTaskRow(instance.snapshot, record: record, uid: instance.uid, template: templateSnapshots[templateID]!)
        }
        instances.removeAll()
        templates.removeAll()
    }
}

extension WriteTransaction {
    /// The merged state of a task record, or nil if this store has never seen it.
    func taskSnapshot(_ uid: String) throws -> RecordSnapshot? {
        guard let collection = interner.existingName(.taskCollection),
              let record = try interner.existingRecord(collection, uid) else { return nil }
        let deleted = try Bool.fetchOne(db, sql: "SELECT deleted FROM record WHERE rowid = ?", arguments: [record]) ?? false
        return try RecordSnapshot.load(record: record, deleted: deleted, db: db, interner: interner)
    }

    func writeTaskRow(_ snapshot: RecordSnapshot, record: Int64, uid: String, template: RecordSnapshot?) throws {
        let created = try Int64.fetchOne(db.cachedStatement(sql: "SELECT min(hlc) FROM change WHERE record = ?"), arguments: [record])
            .map { HLC(rawValue: $0).milliseconds } ?? 0
        var eventStart: CalendarDay?
        if case .text(let event)? = snapshot.registers[TaskItem.Field.event.rawValue] ?? template?.registers[TaskItem.Field.event.rawValue],
           snapshot.registers[TaskItem.Field.offset.rawValue] != nil {
            eventStart = try self.eventStartDay(event)
        }
        let item = TaskTable.compose(uid: uid, own: snapshot, template: template, eventStart: eventStart, created: created)
        try TaskTable.write(item, record: record, db: db)
    }

    /// The start day of an event record from its merged `start` field, read from the change
    /// log's registers rather than the event table, so that the order in which the two
    /// tables are refreshed does not matter.
    func eventStartDay(_ uid: String) throws -> CalendarDay? {
        guard let collection = interner.existingName(.eventCollection),
              let field = interner.existingName("start"),
              let record = try interner.existingRecord(collection, uid) else { return nil }
        let start = try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM field_value WHERE record = ? AND field = ?"),
                                        arguments: [record, field])
        return start.flatMap { CalendarDay($0.prefix(10)) }
    }

    /// Re-derives the rows of the run-sheet tasks of `event`, whose due days follow the
    /// event's start. The event materialiser calls this when an event's start may have
    /// changed.
    func refreshTasks(ofEvent event: String) throws {
        let rows = try Row.fetchAll(db, sql: #"SELECT record, uid, template FROM task WHERE event = ? AND "offset" IS NOT NULL"#, arguments: [event])
        for row in rows {
            let record: Int64 = row[0]
            let deleted = try Bool.fetchOne(db, sql: "SELECT deleted FROM record WHERE rowid = ?", arguments: [record]) ?? false
            let snapshot = try RecordSnapshot.load(record: record, deleted: deleted, db: db, interner: interner)
            let template = try (row[2] as String?).flatMap { try taskSnapshot($0) }
            try writeTaskRow(snapshot, record: record, uid: row[1], template: template)
        }
    }
}
