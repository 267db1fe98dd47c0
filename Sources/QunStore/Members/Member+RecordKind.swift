import GRDB
import QunCore

/// A member is named by its full id, its member number (e.g. 7QKM-12, tried before an id
/// prefix because it may look like hex), a unique id prefix, or its exact name.
extension Member: RecordKind {
    public typealias Filter = MemberFilter

    public static var collection: String { .memberCollection }

    public static let reference = RecordReference(
        keys: [.init("number", ignoresCase: true)], names: [.init("name")],
        label: "name", detail: "number",
        hint: "an id prefix (4+ characters), a member number or the exact name",
        narrower: "or the member number")

    public static let storage = RecordStorage<Member>(
        table: "member", selection: MemberTable.selection, order: "name, uid", item: MemberTable.member(from:),
        materialiser: { db in try MemberMaterialiser(db) })
}
