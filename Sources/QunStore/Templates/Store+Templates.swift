import GRDB
import QunCore

/// A template filled in for one member (or for nobody, when it uses no member field).
public struct TemplateRendering: Sendable, Equatable {
    public var member: Member?
    public var text: String
}

extension Store {
    /// Adds a template. Its id comes from its name (see `MessageTemplate.id(forName:)`): adding
    /// a name that was deleted brings that template back with the new text.
    public func addTemplate(name: String, body: String) throws -> MessageTemplate {
        let name = try TemplateValidation.name(name)
        let body = try TemplateValidation.body(body)
        let id = try write { tx -> String in
            var id = MessageTemplate.id(forName: name)
            if let existing = try MessageTemplate.storage.fetch(tx.db, RecordCondition(["uid = ?"], [id])).first {
                if !existing.deleted {
                    guard existing.name != name else { throw TemplateError.exists(name: name, id: id) }
                    // The template once of this name was renamed: this is another one.
                    id = RecordID.random()
                } else {
                    try tx.restore(.templateCollection, id)
                }
            }
            if let other = try MessageTemplate.storage.fetch(tx.db, RecordCondition(["name = ?", "deleted = 0"], [name])).first {
                throw TemplateError.exists(name: name, id: other.id)
            }
            try tx.set(.templateCollection, id, MessageTemplate.Field.name.rawValue, .text(name))
            try tx.set(.templateCollection, id, MessageTemplate.Field.body.rawValue, .text(body))
            return id
        }
        return try template(id)
    }

    /// Changes the name, the text or both.
    public func editTemplate(_ reference: String, name: String? = nil, body: String? = nil) throws -> MessageTemplate {
        guard name != nil || body != nil else { throw StoreError.emptyEdit(what: "template") }
        let newName = try name.map(TemplateValidation.name)
        let newBody = try body.map(TemplateValidation.body)
        let id = try write { tx -> String in
            let target = try tx.resolve(MessageTemplate.self, reference)
            if let newName, let other = try MessageTemplate.storage.fetch(tx.db, RecordCondition(["name = ?", "deleted = 0", "uid != ?"], [newName, target.uid])).first {
                throw TemplateError.exists(name: newName, id: other.id)
            }
            if let newName { try tx.set(.templateCollection, target.uid, MessageTemplate.Field.name.rawValue, .text(newName)) }
            if let newBody { try tx.set(.templateCollection, target.uid, MessageTemplate.Field.body.rawValue, .text(newBody)) }
            return target.uid
        }
        return try template(id)
    }

    /// The template a reference names (id, id prefix or exact name).
    public func template(_ reference: String, includeDeleted: Bool = false) throws -> MessageTemplate {
        try record(MessageTemplate.self, reference, includeDeleted: includeDeleted)
    }

    /// Templates matching `filter`, by name.
    public func templates(_ filter: TemplateFilter = TemplateFilter()) throws -> [MessageTemplate] {
        try records(MessageTemplate.self, filter)
    }

    /// Fills a template in for each of `members` (references as `member show` takes them),
    /// or once for nobody when no member is named. Placeholders come from the member, the
    /// team's settings (`setTeamSetting`) and qun (`{today}`, `{operator}`); `values` are the
    /// operator's own (`--set key=value`) and win over all of them. Every placeholder must have a value: a
    /// message with a hole in it is worse than none.
    public func render(_ reference: String, for members: [String], values: [String: String] = [:],
                       today: CalendarDay? = nil) throws -> [TemplateRendering] {
        let template = try self.template(reference)
        let text = try TemplateText(template.body)
        // The team's settings, then qun's own values; the operator's `values` win over both.
        let general = try teamSettings().merging([
            "today": (today ?? localToday()).description,
            "operator": identity.operatorName,
        ]) { _, own in own }
        let memberKeys = TemplatePlaceholders.memberKeys
        let known = TemplatePlaceholders.member.map(\.key) + TemplatePlaceholders.general.map(\.key)
        for key in text.placeholders where values[key] == nil && general[key] == nil && !memberKeys.contains(key) {
            throw TemplateError.unknownPlaceholder(template: template.name, placeholder: key, known: known)
        }
        let needed = text.placeholders.filter { values[$0] == nil && memberKeys.contains($0) }
        if members.isEmpty {
            if !needed.isEmpty { throw TemplateError.needsMember(template: template.name, placeholders: needed) }
            return [TemplateRendering(member: nil, text: text.filled { values[$0] ?? general[$0] ?? "" })]
        }
        let resolved = try members.map { try member($0) }
        let names = try memberNames(Set(resolved.flatMap { [$0.kol, $0.referrer].compactMap { $0 } }))
        return try resolved.map { member in
            let filled = try text.filled { key in
                if let given = values[key] { return given }
                if let value = general[key] { return value }
                guard let value = TemplatePlaceholders.value(key, of: member, names: names) else {
                    throw TemplateError.missingValue(template: template.name, placeholder: key, member: "\(member.shortID) \(member.name)")
                }
                return value
            }
            return TemplateRendering(member: member, text: filled)
        }
    }
}

/// Checks what an operator gives for a template.
enum TemplateValidation {
    static func name(_ raw: String) throws -> String {
        let name = try RecordText.line(raw, field: "template name")
        guard !name.contains(where: \.isNewline) else {
            throw StoreError.invalidValue(field: "template name", value: name, expected: "one line")
        }
        return name
    }

    static func body(_ raw: String) throws -> String {
        guard !raw.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw StoreError.missingValue(field: "template text") }
        _ = try TemplateText(raw)
        return raw
    }
}
