import GRDB
import QunCore

/// A task is named by its full id, a unique id prefix or its exact title. A routine's
/// instances share their title; when a title matches several tasks and exactly one of them is
/// an instance on today, the title names that one — `qun task done 早安推送` ticks off this
/// morning's post.
extension TaskItem: RecordKind {
    public typealias Filter = TaskFilter

    public static var collection: String { .taskCollection }

    public static let reference = RecordReference(
        names: [.init("title")], nameOrder: "due, uid", label: "title", detail: "due",
        hint: "an id prefix (4+ characters) or the exact title",
        tieBreak: RecordReference.todaysInstance(in: "task"))

    public static let storage = RecordStorage<TaskItem>(
        table: "task", selection: TaskTable.selection, order: "due IS NULL, due, uid", item: TaskTable.item(from:),
        materialiser: { db in try TaskMaterialiser(db) })
}

extension TaskFilter: RecordFilter {
    /// `overdue` is measured against this laptop's today unless the filter names a day.
    public mutating func prepare(for store: Store) {
        if today == nil { today = store.localToday() }
    }
}
