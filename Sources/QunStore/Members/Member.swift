import QunCore

/// A member of the community (成员), as materialised from its changes.
public struct Member: Sendable, Equatable {
    /// The random record id (32 hex characters).
    public var id: String
    /// 会员编号: handed out offline by the replica that added the member, `PREFIX-N`, where
    /// PREFIX names the replica. Never changes once shown.
    public var number: String?
    public var name: String
    public var role: Role?
    /// Id of the KOL who looks after this member (the two-level structure).
    public var kol: String?
    /// Id of the member who invited this one (fission chains).
    public var referrer: String?
    public var gate: Gate?
    public var gateNote: String?
    public var city: String?
    /// `YYYY-MM-DD`.
    public var joined: String?
    public var status: Status?
    public var wechat: String?
    /// QQ number: how a QQ group's chat export names the member (`qun import chat`).
    public var qq: String?
    public var phone: String?
    public var email: String?
    public var notes: String?
    public var tags: [String]
    public var logCount: Int
    public var deleted: Bool

    public var shortID: String { String(id.prefix(8)) }

    public enum Role: String, CaseIterable, Sendable {
        case admin, kol, core, member
    }

    /// 门槛: how the member got in.
    public enum Gate: String, CaseIterable, Sendable {
        case identity, interest, paid, region, combined
    }

    public enum Status: String, CaseIterable, Sendable {
        case active, quiet, left
    }

    /// The field names used in changes, which `member edit` and filters share.
    public enum Field: String, CaseIterable, Sendable {
        case name, role, kol, referrer, gate, gateNote = "gate_note", city, joined, status
        case wechat, qq, phone, email, notes, number
    }

    public static let tagsField = "tags"
    public static let logField = "log"
}
