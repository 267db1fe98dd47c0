import QunCore
import QunStore

/// The `--json` form of a task. Keys are stable; absent values are `null`. `urgency` depends
/// on today (see `TaskUrgency`); everything else is the same on every converged laptop.
enum TaskJSON {
    static func object(_ task: TaskItem, today: CalendarDay) -> JSON {
        func text(_ value: String?) -> JSON { value.map { .string($0) } ?? .null }
        // In key order (UTF-8 bytes), so the canonical writer need not sort.
        return .object([
            ("assignee", text(task.assignee)),
            ("completed", text(task.completed)),
            ("created", .int(task.created)),
            ("date", text(task.date)),
            ("deleted", .bool(task.deleted)),
            ("due", text(task.due)),
            ("event", text(task.event)),
            ("id", .string(task.id)),
            ("note_count", .int(Int64(task.notesCount))),
            ("offset", task.offset.map { .int(Int64($0)) } ?? .null),
            ("priority", text(task.priority?.rawValue)),
            ("recur", text(task.recur?.rawValue)),
            ("status", .string(task.status.rawValue)),
            ("tags", .array(task.tags.map { .string($0) })),
            ("template", text(task.template)),
            ("title", .string(task.title)),
            ("until", text(task.until)),
            ("urgency", .real(TaskUrgency.score(task, today: today))),
        ])
    }

    /// `task show --json`: the object plus `notes`, the annotations in time order.
    static func detailed(_ task: TaskItem, notes: [TaskNote], today: CalendarDay) -> JSON {
        guard case .object(var fields) = object(task, today: today) else { return .null }
        let entries: JSON = .array(notes.map { note in
            LogEntryFormat.json(at: note.at, replica: note.replica, operatorName: note.operatorName, text: note.text)
        })
        let index = fields.firstIndex { $0.0 > "notes" } ?? fields.endIndex
        fields.insert(("notes", entries), at: index)
        return .object(fields)
    }
}
