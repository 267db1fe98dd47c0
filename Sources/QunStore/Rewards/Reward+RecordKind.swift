import GRDB
import QunCore

/// A reward is named by its full id or a unique id prefix: it has no name of its own (the
/// member's name would name every month's reward of that member).
extension Reward: RecordKind {
    public typealias Filter = RewardFilter

    public static var collection: String { .rewardCollection }

    public static let reference = RecordReference(
        names: [], label: "gift", detail: "month",
        hint: "an id prefix (4+ characters) of a reward")

    public static let storage = RecordStorage<Reward>(
        table: "reward", fetch: RewardTable.fetch, materialiser: { db in try RewardMaterialiser(db) })
}

/// Which rewards `reward list` shows.
public struct RewardFilter: RecordFilter, Equatable {
    public var month: ReportMonth?
    /// A member's id.
    public var member: String?
    public var origin: Reward.Origin?
    /// Only sent ones (true), only ones still to give (false), or both (nil).
    public var sent: Bool?
    /// Words that must each appear in the gift or the note (case-insensitive for Latin).
    public var words: [String] = []
    public var includeDeleted = false

    public init(month: ReportMonth? = nil, member: String? = nil) {
        self.month = month
        self.member = member
    }

    public func whereClause() -> RecordCondition {
        var query = RecordConditionBuilder(includeDeleted: includeDeleted)
        query.equal([("month", month?.description), ("member", member), ("kind", origin?.rawValue)])
        if let sent { query.require(sent ? "sent > 0" : "sent = 0") }
        query.words(words, in: ["gift", "note"])
        return query.condition
    }
}
