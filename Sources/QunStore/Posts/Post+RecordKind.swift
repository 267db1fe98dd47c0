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
        tieBreak: RecordReference.todaysInstance(in: "post"))

    public static let storage = RecordStorage<Post>(
        table: "post", selection: PostTable.selection, order: "at IS NULL, at, uid", item: PostTable.post(from:),
        materialiser: { db in try PostMaterialiser(db) })
}
