import GRDB
import QunCore

extension Store {
    /// Adds one member and returns it as stored.
    public func addMember(_ draft: MemberDraft) throws -> Member {
        try member(try addMembers([draft])[0].id, includeDeleted: true)
    }

    /// Adds members in one transaction: all or none. Each gets a fresh id and a member
    /// number from this replica's range; both are returned without reading the members back,
    /// so a bulk import costs only its writes.
    public func addMembers(_ drafts: [MemberDraft]) throws -> [AddedMember] {
        let today = MemberValidation.today(now())
        let prefix = identity.replica.numberPrefix
        return try write { tx -> [AddedMember] in
            var counter = Int64(try String.fetchOne(tx.db, sql: "SELECT value FROM meta WHERE key = 'number_counter'") ?? "0") ?? 0
            var added: [AddedMember] = []
            added.reserveCapacity(drafts.count)
            for draft in drafts {
                let id = RecordID.random()
                counter += 1
                let number = "\(prefix)-\(counter)"
                try tx.writeNewMember(draft, id: id, number: number, today: today)
                added.append(AddedMember(id: id, number: number))
            }
            try tx.db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'number_counter'", arguments: [String(counter)])
            return added
        }
    }

    /// Changes only the given fields and tags of a member.
    public func editMember(_ reference: String, _ edit: MemberEdit) throws -> Member {
        guard !edit.isEmpty else {
            throw StoreError.emptyEdit(what: "member")
        }
        let id = try write { tx -> String in
            let target = try tx.resolve(Member.self, reference)
            if target.deleted { throw StoreError.deleted(collection: "member", id: target.uid) }
            for (field, raw) in edit.fields.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                let value = try tx.validated(field, raw, self: target.uid)
                try tx.set(.memberCollection, target.uid, field.rawValue, value)
            }
            for tag in edit.addTags {
                try tx.add(.memberCollection, target.uid, Member.tagsField, try MemberValidation.tag(tag))
            }
            for tag in edit.removeTags {
                try tx.remove(.memberCollection, target.uid, Member.tagsField, tag)
            }
            return target.uid
        }
        return try member(id)
    }

    /// Tombstones a member (see `remove(_:_:)`).
    @discardableResult
    public func removeMember(_ reference: String) throws -> Member { try remove(Member.self, reference) }

    /// Brings back a deleted member with all its fields (see `restore(_:_:)`).
    @discardableResult
    public func restoreMember(_ reference: String) throws -> Member { try restore(Member.self, reference) }

    /// Appends an entry to a member's interaction log (沟通记录). Entries never conflict.
    @discardableResult
    public func logInteraction(_ reference: String, _ text: String) throws -> Member {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw StoreError.missingValue(field: "log text") }
        return try appendLog(Member.self, reference, field: Member.logField, trimmed)
    }
}

extension WriteTransaction {
    func writeNewMember(_ draft: MemberDraft, id: String, number: String, today: String) throws {
        let c = String.memberCollection
        try set(c, id, Member.Field.number.rawValue, .text(number))
        try set(c, id, Member.Field.name.rawValue, .text(try MemberValidation.name(draft.name)))
        try set(c, id, Member.Field.role.rawValue, .text(draft.role.rawValue))
        try set(c, id, Member.Field.status.rawValue, .text(draft.status.rawValue))
        try set(c, id, Member.Field.joined.rawValue, .text(try MemberValidation.date(draft.joined ?? today)))
        let optional: [(Member.Field, String?)] = [
            (.kol, draft.kol), (.referrer, draft.referrer), (.gate, draft.gate?.rawValue),
            (.gateNote, draft.gateNote), (.city, draft.city), (.wechat, draft.wechat), (.qq, draft.qq),
            (.phone, draft.phone), (.email, draft.email), (.notes, draft.notes),
        ]
        for (field, raw) in optional {
            guard let raw, !raw.isEmpty else { continue }
            try set(c, id, field.rawValue, try validated(field, raw, self: id))
        }
        var seen: Set<String> = []
        for tag in draft.tags {
            let tag = try MemberValidation.tag(tag)
            if seen.insert(tag).inserted { try add(c, id, Member.tagsField, tag) }
        }
    }

    /// Turns an operator's text into the stored value of a member field; empty clears.
    func validated(_ field: Member.Field, _ raw: String, self id: String) throws -> Value {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty {
            if field == .name { throw StoreError.missingValue(field: "name") }
            return .null
        }
        switch field {
        case .name: return .text(try MemberValidation.name(text))
        case .role: return .text(try MemberValidation.role(text).rawValue)
        case .gate: return .text(try MemberValidation.gate(text).rawValue)
        case .status: return .text(try MemberValidation.status(text).rawValue)
        case .joined: return .text(try MemberValidation.date(text))
        case .email: return .text(try MemberValidation.email(text))
        case .phone: return .text(try MemberValidation.phone(text))
        case .qq: return .text(try MemberValidation.qq(text))
        case .number:
            throw StoreError.invalidValue(field: "number", value: text, expected: "no change: a member number never changes once given")
        case .kol, .referrer:
            let target = try resolve(Member.self, text)
            if target.uid == id {
                throw StoreError.invalidValue(field: field.rawValue, value: text, expected: "another member, not the member itself")
            }
            return .text(target.uid)
        case .gateNote, .city, .wechat, .notes:
            return .text(text)
        }
    }
}

extension Store {
    /// The member a reference names (id, id prefix, member number or exact name).
    public func member(_ reference: String, includeDeleted: Bool = false) throws -> Member {
        try record(Member.self, reference, includeDeleted: includeDeleted)
    }
}
