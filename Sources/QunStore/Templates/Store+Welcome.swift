import GRDB
import QunCore

extension Member {
    /// The log of welcomes prepared for a member (the join ritual): each entry names the
    /// template rendered, by whom and when. Append-only, so two teammates welcoming the same
    /// newcomer offline both count, and neither undoes the other.
    public static let welcomesField = "welcomes"
}

extension Store {
    /// The join ritual: renders `template` for the member and records that the welcome was
    /// prepared, so `unwelcomedMembers` no longer lists them. qun cannot post into the chat;
    /// the operator pastes the text.
    public func welcome(_ member: String, template: String, values: [String: String] = [:]) throws -> TemplateRendering {
        let chosen = try self.template(template)
        guard let rendering = try render(chosen.id, for: [member], values: values).first, let welcomed = rendering.member else {
            throw StoreError.notFound(collection: Member.noun, reference: member)
        }
        _ = try appendLog(Member.self, welcomed.id, field: Member.welcomesField, chosen.id)
        return rendering
    }

    /// Checks, before a member is added from `draft`, that `template` would render for them:
    /// every placeholder has a value from the draft, qun or `values`. Adding and welcoming
    /// are then one act that cannot half happen. With no draft (members still to come from
    /// a file), only that the template exists and knows all its placeholders.
    public func checkWelcome(_ template: String, for draft: MemberDraft?, values: [String: String] = [:]) throws {
        let chosen = try self.template(template)
        var present = TemplatePlaceholders.memberKeys
        if let draft {
            // Name, number, role, status and joined every new member has (defaults).
            present = Set(["name", "number", "role", "status", "joined"]
                + [draft.kol.map { _ in "kol" }, draft.referrer.map { _ in "referrer" }, draft.gate.map { _ in "gate" },
                   draft.city.map { _ in "city" }, draft.wechat.map { _ in "wechat" }, draft.tags.isEmpty ? nil : "tags"].compactMap { $0 })
        }
        try TemplatePlaceholders.check(TemplateText(chosen.body), template: chosen.name, values: try teamSettings().merging(values) { _, given in given },
                                       memberHas: present, member: draft?.name ?? "")
    }

    /// Live members who have not left and for whom no welcome was ever prepared, the
    /// earliest joined first: who still waits for the welcome ritual.
    public func unwelcomedMembers() throws -> [Member] {
        try database.read { db in
            try Member.storage.fetch(db, RecordCondition(["""
                deleted = 0 AND coalesce(status, 'active') != 'left' AND NOT EXISTS (
                    SELECT 1 FROM set_tag t JOIN name f ON f.rowid = t.field AND f.text = ?
                    WHERE t.record = member.record AND \(MergeRules.present(.logEntry, table: "t")))
                """], [Member.welcomesField]))
        }.sorted { ($0.joined ?? "~", $0.name, $0.id) < ($1.joined ?? "~", $1.name, $1.id) }
    }
}
