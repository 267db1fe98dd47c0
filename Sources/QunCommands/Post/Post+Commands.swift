import ArgumentParser
import QunCore
import QunStore

extension Post: CommandRecordKind {
    static let referenceHelp = "Post id prefix or exact title (a recurring post's title names today's)."
    static let called = "a post"
    static let keeps = "all its fields"
    static let removeDiscussion = "A delete wins over edits teammates make concurrently. A deleted day of a recurring post is never made again; deleting the recurring post stops new days (those already made stay)."
    static let showAbstract = "Show one post: when, where, by whom, and the template's text."
    /// Done posts are found by title too, so the list to look in is the whole one.
    static let listCommand = "qun post list --all"

    var label: String { "\(shortID) \(title)" + (at.map { " (\($0))" } ?? "") }

    func json(store: Store) throws -> JSON { try PostJSON.object(self, store: store) }

    func detail(store: Store) throws -> RecordDetail {
        let template = try message.flatMap { try? store.template($0, includeDeleted: true) }
        let fields: [(String, String?)] = [
            ("id", id), ("title", title), ("at", at), ("channel", channel), ("owner", owner),
            ("template", message.map { id in template.map { "\($0.name) (\($0.shortID))" } ?? String(id.prefix(8)) }),
            ("recur", isRoutine ? recur.map { $0.rawValue + (until.map { " until \($0)" } ?? "") } : nil),
            ("routine", self.template.map { String($0.prefix(8)) + (date.map { " (\($0))" } ?? "") }),
            ("done", done ?? (isRoutine ? nil : "no")),
            deletedField(self),
        ]
        return RecordDetail(json: try PostJSON.object(self, store: store), fields: fields, labelWidth: 10, sections: [
            .init(title: "text", lines: (template?.body ?? "").split(separator: "\n", omittingEmptySubsequences: false)
                .filter { _ in template != nil }.map { "  " + $0 }),
        ])
    }
}

/// The `--json` form of a post. Keys are stable; absent values are `null`. The same on every
/// converged laptop.
enum PostJSON {
    static func object(_ post: Post, store: Store) throws -> JSON {
        object(post, templateNames: try templateNames(store))
    }

    static func object(_ post: Post, templateNames: [String: String]) -> JSON {
        func text(_ value: String?) -> JSON { value.map { .string($0) } ?? .null }
        // In key order (UTF-8 bytes), so the canonical writer need not sort.
        return .object([
            ("at", text(post.at)),
            ("channel", text(post.channel)),
            ("date", text(post.date)),
            ("deleted", .bool(post.deleted)),
            ("done", text(post.done)),
            ("id", .string(post.id)),
            ("message", text(post.message)),
            ("message_name", text(post.message.flatMap { templateNames[$0] })),
            ("owner", text(post.owner)),
            ("recur", text(post.isRoutine ? post.recur?.rawValue : nil)),
            ("template", text(post.template)),
            ("title", .string(post.title)),
            ("until", text(post.until)),
        ])
    }

    /// Message template names by id, deleted ones included (a post keeps naming its template).
    static func templateNames(_ store: Store) throws -> [String: String] {
        var filter = TemplateFilter()
        filter.includeDeleted = true
        return Dictionary(try store.templates(filter).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
    }
}
