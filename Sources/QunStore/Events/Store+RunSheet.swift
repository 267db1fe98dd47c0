import GRDB
import QunCore

extension Store {
    /// Adds a task to an event's run-sheet (who does what by when), back-scheduled from the
    /// event's start: `--due -7d` is due seven days before the start day and keeps that
    /// offset when the event moves. A due given as a date is turned into its offset the
    /// same way. The due is a day unless a time is given (`-1dT18:00`).
    ///
    /// A due that is a day is not written at all: the task keeps only its `offset`, and the
    /// task table derives the day from the event's start wherever the task is shown. So a
    /// task added on one laptop while a teammate moves the event offline still lands on the
    /// moved schedule once they sync. A due with a time is written (the start's day alone
    /// cannot carry it) and is moved by `rescheduleRunSheet` in the transaction that moves
    /// the event. Finishing a task writes the due it had (see `setTaskStatus`).
    public func addRunSheetTask(_ reference: String, _ draft: RunSheetDraft) throws -> TaskItem {
        let today = CalendarDay.at(milliseconds: now())
        let priority = try draft.priority.map(TaskValidation.priority)
        let id = try write { tx -> String in
            let target = try tx.resolve(Event.self, reference)
            let event = try tx.stored(Event.self, target.uid)
            guard let start = event.start.flatMap({ LocalDate($0) }) else { throw EventError.noStart(id: target.uid, purpose: "the run-sheet is scheduled from it") }
            let due = try EventValidation.runSheetDue(draft.due, start: start.day, today: today)
            return try tx.addTask(TaskDraft(
                title: draft.title, assignee: draft.owner, due: due.time == nil ? nil : due.description, priority: priority,
                tags: draft.tags, event: target.uid, offset: start.day.days(to: due.day)))
        }
        return try task(id, includeDeleted: true)
    }

    /// The run-sheet of an event: its live tasks (those whose `event` is this event), by
    /// due date, then title.
    public func runSheet(_ reference: String) throws -> [TaskItem] {
        try database.read { db in
            let hit = try RecordResolution.resolve(Event.self, reference, includeDeleted: true, db: db)
            return try Row.fetchAll(db, sql: """
                SELECT \(TaskTable.selection) FROM task WHERE event = ? AND deleted = 0
                ORDER BY due IS NULL, due, title, uid
                """, arguments: [hit.uid]).map(TaskTable.item(from:))
        }
    }
}

extension WriteTransaction {
    /// Moves the due date of every unfinished run-sheet task of `event` to `start` plus the
    /// task's offset, keeping a task's time of day. Called in the transaction that moves the
    /// event, so the plan and its back-schedule never disagree on this laptop.
    ///
    /// Done and dropped tasks keep their date: it records when the work was due. A task
    /// without a `due` of its own already follows the event (the task table derives it).
    func rescheduleRunSheet(event: String, start: LocalDate) throws {
        let rows = try Row.fetchAll(db, sql: """
            SELECT uid, due, "offset" FROM task
            WHERE event = ? AND "offset" IS NOT NULL AND deleted = 0 AND status NOT IN ('done', 'dropped')
            ORDER BY uid
            """, arguments: [event])
        for row in rows {
            let uid: String = row[0]
            let offset: Int = row[2]
            guard let own = try taskSnapshot(uid), case .text(let due)? = own.registers[TaskItem.Field.due.rawValue] else { continue }
            let moved = LocalDate(day: start.day.adding(days: offset), time: LocalDate(due)?.time)
            if moved.description != due {
                try set(.taskCollection, uid, TaskItem.Field.due.rawValue, .text(moved.description))
            }
        }
    }
}
