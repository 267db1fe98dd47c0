import GRDB
import QunCore

/// A template is named by its full id, a unique id prefix or its exact name.
extension MessageTemplate: RecordKind {
    public typealias Filter = TemplateFilter

    public static var collection: String { .templateCollection }

    public static let reference = RecordReference(
        names: [.init("name")], label: "name",
        hint: "an id prefix (4+ characters) or the exact name")

    public static let storage = RecordStorage<MessageTemplate>(
        table: "template", selection: TemplateTable.selection, order: "name, uid", item: TemplateTable.template(from:),
        materialiser: { db in try TemplateMaterialiser(db) })
}

/// Which templates `template list` shows.
public struct TemplateFilter: RecordFilter, Equatable {
    /// Words that must each appear in the name or the text (case-insensitive for Latin).
    public var words: [String] = []
    public var includeDeleted = false

    public init() {}

    public func whereClause() -> RecordCondition {
        var query = RecordConditionBuilder(includeDeleted: includeDeleted)
        query.words(words, in: ["name", "body"])
        return query.condition
    }
}
