import GRDB
import QunCore

/// A post is named by its full id, a unique id prefix or its exact title. A routine's
/// instances share their title; when a title matches several posts and exactly one of them
/// is an instance on today, the title names that one — `qun post done 早安` ticks off this
/// morning's post, as `qun task done` does for a routine task.
extension Post: RecordKind {
    public typealias Filter = PostFilter

    public static var collection: String { .postCollection }

    public static let reference = RecordReference(
        names: [.init("title")], nameOrder: "at, uid", label: "title", detail: "at",
        hint: "an id prefix (4+ characters) or the exact title",
        tieBreak: { title, today, includeDeleted, db in
            guard let today else { return nil }
            let todays = try Row.fetchAll(db, sql: """
                SELECT uid, deleted FROM post WHERE title = ? AND template IS NOT NULL AND date = ?\(includeDeleted ? "" : " AND deleted = 0") LIMIT 2
                """, arguments: [title, today.description])
            return todays.count == 1 ? ResolvedRecord(uid: todays[0]["uid"], deleted: todays[0]["deleted"]) : nil
        })

    public static let storage = RecordStorage<Post>(
        table: "post", selection: PostTable.selection, order: "at IS NULL, at, uid", item: PostTable.post(from:),
        materialiser: { db in try PostMaterialiser(db) })
}
