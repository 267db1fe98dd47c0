import ArgumentParser
import Foundation
import QunCore
import QunStore

extension TaskItem: CommandRecordKind {
    static let referenceHelp = "Task id prefix or exact title."
    static let called = "a task"
    static let keeps = "all its fields"
    static let removeDiscussion = "A delete wins over edits teammates make concurrently. A deleted instance of a recurring task is never made again; deleting a template stops new instances (those already made stay)."
    static let showAbstract = "Show one task with its annotations."
    /// Done and dropped tasks are found by title too, so the list to look in is the whole one.
    static let listCommand = "qun task list --all"

    var label: String { "\(shortID) \(title)" }

    func json(store: Store) throws -> JSON { TaskJSON.object(self, today: store.localToday()) }

    func detail(store: Store) throws -> RecordDetail {
        let today = store.localToday()
        let notes = try store.taskNotes(id)
        let fields: [(String, String?)] = [
            ("id", id), ("title", title), ("status", status.rawValue),
            ("assignee", assignee), ("due", TaskListing.dueText(self, today: today)),
            ("priority", priority?.rawValue), ("tags", tags.joined(separator: " ")),
            ("event", event.map { String($0.prefix(8)) + (offset.map { " (\($0 >= 0 ? "+" : "")\($0)d)" } ?? "") }),
            ("recur", recur.map { $0.rawValue + (until.map { " until \($0)" } ?? "") }),
            ("template", template.map { String($0.prefix(8)) + (date.map { " (\($0))" } ?? "") }),
            ("completed", completed),
            ("urgency", isOpen && !isTemplate ? String(format: "%.1f", TaskUrgency.score(self, today: today)) : nil),
            deletedField(self),
        ]
        return RecordDetail(json: TaskJSON.detailed(self, notes: notes, today: today), fields: fields, labelWidth: 10, sections: [
            .init(title: "annotations", lines: notes.map { LogEntryFormat.line(at: $0.at, operatorName: $0.operatorName, text: $0.text) }),
        ])
    }
}
