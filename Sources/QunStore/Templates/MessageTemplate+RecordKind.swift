import GRDB
import QunCore

/// A template is named by its full id, a unique id prefix or its exact name.
extension MessageTemplate: RecordKind {
    public typealias Filter = TemplateFilter

    public static var collection: String { .templateCollection }

    public static let reference = RecordReference(
        names: [.init("name")], label: "name",
        hint: "an id prefix (4+ characters) or the exact name", listCommand: "qun template list")

    public static let storage = RecordStorage<MessageTemplate>(
        table: "template",
        fetch: { db, condition in
            try Row.fetchAll(db, sql: "SELECT \(TemplateTable.selection) FROM template WHERE \(condition.sql) ORDER BY name, uid",
                             arguments: condition.arguments).map(TemplateTable.template(from:))
        },
        materialiser: { db in try TemplateMaterialiser(db) })
}

/// Which templates `template list` shows.
public struct TemplateFilter: RecordFilter, Equatable {
    /// Words that must each appear in the name or the text (case-insensitive for Latin).
    public var words: [String] = []
    public var includeDeleted = false

    public init() {}

    public func whereClause() -> RecordCondition {
        var conditions: [String] = []
        var arguments = StatementArguments()
        if !includeDeleted { conditions.append("deleted = 0") }
        for word in words {
            conditions.append("(instr(lower(coalesce(name, '')), lower(?)) > 0 OR instr(lower(coalesce(body, '')), lower(?)) > 0)")
            arguments += [word, word]
        }
        return RecordCondition(conditions, arguments)
    }
}
