import GRDB
import QunCore

/// An event is named by its full id, a unique id prefix or its exact title.
extension Event: RecordKind {
    public typealias Filter = EventFilter

    public static var collection: String { .eventCollection }

    public static let reference = RecordReference(
        names: [.init("title")], label: "title", detail: "start_at",
        hint: "an id prefix (4+ characters) or the exact title")

    public static let storage = RecordStorage<Event>(
        table: "event",
        fetch: { db, condition in try EventTable.fetch(db, where: condition.sql, arguments: condition.arguments) },
        materialiser: { db in try EventMaterialiser(db) })
}

extension EventFilter: RecordFilter {}
