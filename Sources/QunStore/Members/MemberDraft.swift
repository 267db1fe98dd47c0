/// What `member add` (or a CSV row) provides for a new member. References (`kol`,
/// `referrer`) are given the way an operator types them: id prefix, member number or exact
/// name.
public struct MemberDraft: Sendable, Equatable {
    public var name: String
    public var role: Member.Role = .member
    public var kol: String?
    public var referrer: String?
    public var gate: Member.Gate?
    public var gateNote: String?
    public var city: String?
    /// `YYYY-MM-DD`; today (local time) when nil.
    public var joined: String?
    public var status: Member.Status = .active
    public var wechat: String?
    public var qq: String?
    public var phone: String?
    public var email: String?
    public var notes: String?
    public var tags: [String] = []

    public init(name: String) { self.name = name }
}

/// What `member edit` changes: only the fields given. An empty string clears a field.
public struct MemberEdit: Sendable, Equatable {
    public var fields: [Member.Field: String] = [:]
    public var addTags: [String] = []
    public var removeTags: [String] = []

    public init() {}

    public var isEmpty: Bool { fields.isEmpty && addTags.isEmpty && removeTags.isEmpty }
}

/// The identity a new member was given.
public struct AddedMember: Sendable, Equatable {
    public var id: String
    /// 会员编号, `PREFIX-N`.
    public var number: String
}
