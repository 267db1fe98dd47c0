import Foundation
import GRDB
import QunCore

extension Store {
    /// Adds one task and returns it as stored. A recurrence template gets its instances up to
    /// `today` (and the next one) in the same transaction; later ones come from
    /// `generateTaskInstances` (the CLI runs it with every task command).
    public func addTask(_ draft: TaskDraft, today: CalendarDay? = nil) throws -> TaskItem {
        let today = today ?? localToday()
        let id = try write { tx -> String in
            let id = try tx.addTask(draft, today: today)
            if draft.recur != nil { try tx.generateInstances(ofTemplate: id, today: today) }
            return id
        }
        return try task(id, includeDeleted: true)
    }

    /// Changes only the given fields and tags of a task.
    public func editTask(_ reference: String, _ edit: TaskEdit) throws -> TaskItem {
        guard !edit.isEmpty else {
            throw StoreError.emptyEdit(what: "task")
        }
        let id = try write { tx -> String in
            let target = try tx.resolve(TaskItem.self, reference)
            for (field, raw) in edit.fields.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                try tx.set(.taskCollection, target.uid, field.rawValue, try tx.validatedTask(field, raw))
            }
            for tag in edit.addTags {
                try tx.add(.taskCollection, target.uid, TaskItem.tagsField, try TaskValidation.tag(tag))
            }
            for tag in edit.removeTags {
                try tx.remove(.taskCollection, target.uid, TaskItem.tagsField, try TaskValidation.tag(tag))
            }
            // A template needs a first day; `add --recur` defaults it to today, and so does this.
            if let recur = edit.fields[.recur], !recur.trimmingCharacters(in: .whitespaces).isEmpty, edit.fields[.due] == nil,
               (try tx.taskSnapshot(target.uid)?.registers[TaskItem.Field.due.rawValue]?.text ?? "").isEmpty {
                try tx.set(.taskCollection, target.uid, TaskItem.Field.due.rawValue,
                           .text(CalendarDay.at(milliseconds: tx.nowMilliseconds).description))
            }
            return target.uid
        }
        return try task(id)
    }

    /// `done`, `start` (doing), `drop`, or back to `todo`. Done records the day it was done;
    /// any other status clears it. Dropping a recurrence template stops new instances;
    /// those already made stay open until ticked off or dropped.
    ///
    /// A run-sheet task that follows its event (an offset, no due of its own) gets the due
    /// it has now written when it is done or dropped: it records when the work was due, and
    /// a later move of the event, even a concurrent one, leaves it there.
    @discardableResult
    public func setTaskStatus(_ reference: String, _ status: TaskItem.Status, today: CalendarDay? = nil) throws -> TaskItem {
        let today = today ?? localToday()
        let id = try write { tx -> String in
            let target = try tx.resolve(TaskItem.self, reference, today: today)
            if status == .done || status == .dropped,
               let own = try tx.taskSnapshot(target.uid), (own.registers[TaskItem.Field.due.rawValue]?.text ?? "").isEmpty,
               own.registers[TaskItem.Field.offset.rawValue] != nil,
               let due = try String.fetchOne(tx.db, sql: "SELECT due FROM task WHERE uid = ?", arguments: [target.uid]) {
                try tx.set(.taskCollection, target.uid, TaskItem.Field.due.rawValue, .text(due))
            }
            try tx.set(.taskCollection, target.uid, TaskItem.Field.status.rawValue, .text(status.rawValue))
            let completed: Value = status == .done ? .text(today.description) : .null
            try tx.set(.taskCollection, target.uid, TaskItem.Field.completed.rawValue, completed)
            return target.uid
        }
        return try task(id)
    }

    /// Tombstones a task; `restoreTask` brings it back. A deleted instance stays deleted:
    /// generation never writes an instance whose record exists.
    @discardableResult
    public func removeTask(_ reference: String) throws -> TaskItem { try remove(TaskItem.self, reference) }

    @discardableResult
    public func restoreTask(_ reference: String) throws -> TaskItem { try restore(TaskItem.self, reference) }

    /// Appends an annotation. Annotations from every laptop are all kept, in time order.
    @discardableResult
    public func annotateTask(_ reference: String, _ text: String) throws -> TaskItem {
        try appendLog(TaskItem.self, reference, field: TaskItem.notesField, try TaskValidation.note(text))
    }

    /// A task's annotations in time order.
    public func taskNotes(_ reference: String) throws -> [TaskNote] {
        try logLines(TaskItem.self, reference, field: TaskItem.notesField)
    }
}

extension WriteTransaction {
    /// Writes a new task in this transaction and returns its id (the event run-sheet adds its
    /// tasks through it).
    public func addTask(_ draft: TaskDraft) throws -> String {
        try addTask(draft, today: CalendarDay.at(milliseconds: nowMilliseconds))
    }

    func addTask(_ draft: TaskDraft, today: CalendarDay) throws -> String {
        let c = String.taskCollection
        let id = RecordID.random()
        try set(c, id, TaskItem.Field.title.rawValue, .text(try TaskValidation.title(draft.title)))
        if let assignee = draft.assignee, !assignee.isEmpty {
            try set(c, id, TaskItem.Field.assignee.rawValue, .text(try TaskValidation.assignee(assignee)))
        }
        var due = try draft.due.flatMap { $0.isEmpty ? nil : try TaskValidation.due($0) }
        if draft.recur != nil, due == nil { due = today.description }
        if let due { try set(c, id, TaskItem.Field.due.rawValue, .text(due)) }
        if let priority = draft.priority { try set(c, id, TaskItem.Field.priority.rawValue, .text(priority.rawValue)) }
        if let status = draft.status {
            try set(c, id, TaskItem.Field.status.rawValue, .text(status.rawValue))
            if status == .done { try set(c, id, TaskItem.Field.completed.rawValue, .text(today.description)) }
        }
        if let event = draft.event, !event.isEmpty {
            try set(c, id, TaskItem.Field.event.rawValue, .text(try resolveEventID(event)))
        }
        if let offset = draft.offset { try set(c, id, TaskItem.Field.offset.rawValue, .int(Int64(offset))) }
        if let until = draft.until, !until.isEmpty {
            guard draft.recur != nil else {
                throw StoreError.invalidValue(field: "until", value: until, expected: "no end without a recurrence: only a recurring task has an end")
            }
            let day = try TaskValidation.day(until, field: "until")
            if let first = due.flatMap({ LocalDate($0)?.day }), let last = CalendarDay(day), last < first {
                throw StoreError.invalidValue(field: "until", value: until, expected: "a day on or after the first due day \(first)")
            }
            try set(c, id, TaskItem.Field.until.rawValue, .text(day))
        }
        if let recur = draft.recur { try set(c, id, TaskItem.Field.recur.rawValue, .text(recur.rawValue)) }
        var seen: Set<String> = []
        for tag in draft.tags {
            let tag = try TaskValidation.tag(tag)
            if seen.insert(tag).inserted { try add(c, id, TaskItem.tagsField, tag) }
        }
        if let note = draft.note, !note.isEmpty {
            try append(c, id, TaskItem.notesField, try TaskValidation.note(note))
        }
        return id
    }

    /// Turns an operator's text into the stored value of a task field; empty clears.
    func validatedTask(_ field: TaskItem.Field, _ raw: String) throws -> Value {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty {
            if field == .title { throw StoreError.missingValue(field: "title") }
            return .null
        }
        switch field {
        case .title: return .text(try TaskValidation.title(text))
        case .assignee: return .text(try TaskValidation.assignee(text))
        case .due: return .text(try TaskValidation.due(text))
        case .status: return .text(try TaskValidation.status(text).rawValue)
        case .priority: return .text(try TaskValidation.priority(text).rawValue)
        case .event: return .text(try resolveEventID(text))
        case .offset: return .int(Int64(try TaskValidation.offset(text)))
        case .recur: return .text(try TaskValidation.recurrence(text).rawValue)
        case .until: return .text(try TaskValidation.day(text, field: "until"))
        case .completed: return .text(try TaskValidation.day(text, field: "completed"))
        case .template, .date:
            throw StoreError.invalidValue(field: field.rawValue, value: text, expected: "no change: an instance's template and day are fixed when it is generated")
        }
    }
}
