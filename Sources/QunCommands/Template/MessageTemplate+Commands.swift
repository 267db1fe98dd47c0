import ArgumentParser
import QunCore
import QunStore

extension MessageTemplate: CommandRecordKind {
    static let referenceHelp = "Template id prefix or exact name."
    static let called = "a template"
    static let keeps = "its text"
    static let showAbstract = "Show one template: its text and the placeholders it uses."

    var label: String { "\(shortID) \(name)" }

    func json(store: Store) throws -> JSON { TemplateJSON.object(self) }

    func detail(store: Store) throws -> RecordDetail {
        let fields: [(String, String?)] = [
            ("id", id), ("name", name),
            ("uses", placeholders.map { "{\($0)}" }.joined(separator: " ")),
            deletedField(self),
        ]
        return RecordDetail(json: TemplateJSON.object(self), fields: fields, labelWidth: 8, sections: [
            .init(title: "text", lines: body.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }),
        ])
    }
}

/// The `--json` form of a template. Keys are stable.
enum TemplateJSON {
    static func object(_ template: MessageTemplate) -> JSON {
        // In key order (UTF-8 bytes), so the canonical writer need not sort.
        .object([
            ("deleted", .bool(template.deleted)),
            ("id", .string(template.id)),
            ("name", .string(template.name)),
            ("placeholders", .array(template.placeholders.map { .string($0) })),
            ("text", .string(template.body)),
        ])
    }
}
