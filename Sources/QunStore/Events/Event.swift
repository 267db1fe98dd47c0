import QunCore

/// An event plan (活动策划), as materialised from its changes.
public struct Event: Sendable, Equatable {
    /// The random record id (32 hex characters).
    public var id: String
    public var title: String
    public var kind: Kind?
    public var place: String?
    public var city: String?
    /// Local time, `YYYY-MM-DD` (all day) or `YYYY-MM-DDTHH:MM`.
    public var start: String?
    /// Like `start`; not before it.
    public var end: String?
    public var purpose: String?
    /// How many sign-ups the team aims for.
    public var target: Int64?
    public var rules: String?
    public var rewards: String?
    /// In yuan.
    public var budget: Double?
    /// Never nil: a plan whose phase was never set is a draft.
    public var phase: Phase
    /// Member ids signed up, in id order. Only members that are not deleted: a deleted
    /// member stays in the replicated set (history, and a restore brings them back) but
    /// is not shown or counted.
    public var signups: [String]
    /// Member ids that came, in id order; live members only, like `signups`.
    public var attendance: [String]
    public var achievedCount: Int
    public var missedCount: Int
    public var keepCount: Int
    public var deleted: Bool

    public var shortID: String { String(id.prefix(8)) }

    /// Members who came without having signed up (walk-ins).
    public var walkIns: [String] {
        let signed = Set(signups)
        return attendance.filter { !signed.contains($0) }
    }

    public enum Kind: String, CaseIterable, Sendable {
        case online, offline
    }

    /// The life of a plan. It moves one step at a time, forward, or back one step to
    /// correct a mistake; a jump would skip the work the skipped phase stands for.
    public enum Phase: String, CaseIterable, Sendable, Comparable {
        case draft, prep, live, done, reviewed

        var index: Int { Phase.allCases.firstIndex(of: self)! }

        public static func < (a: Phase, b: Phase) -> Bool { a.index < b.index }

        /// The phases one step away, forward first.
        public var neighbours: [Phase] {
            let all = Phase.allCases
            var result: [Phase] = []
            if index + 1 < all.count { result.append(all[index + 1]) }
            if index > 0 { result.append(all[index - 1]) }
            return result
        }

        /// A retrospective is written once the event is over.
        public var allowsReview: Bool { self == .done || self == .reviewed }
    }

    /// The scalar field names used in changes (the record contract other parts rely on).
    public enum Field: String, CaseIterable, Sendable {
        case title, kind, place, city, start, end, purpose, target, rules, rewards, budget, phase
    }

    /// The add-wins sets of member ids.
    public enum PeopleSet: String, CaseIterable, Sendable {
        case signups, attendance
    }

    /// The append-only retrospective logs (复盘): what we achieved, what we missed, what we
    /// keep doing.
    public enum Retro: String, CaseIterable, Sendable {
        case achieved, missed, keep
    }
}

/// One line of a retrospective.
public struct RetroLine: Sendable, Equatable {
    public var section: Event.Retro
    public var at: HLC
    public var replica: ReplicaID
    public var operatorName: String
    public var text: String
}
