/// What `grantRewards` did with each winner of a month's leaderboard.
public struct RewardGrant: Sendable, Equatable {
    public enum Outcome: String, Sendable {
        /// A reward was recorded now (or would be, in a dry run).
        case granted
        /// The member has this month's leaderboard reward already: left as it is, gift,
        /// points and sent mark included.
        case alreadyGranted
        /// The member's reward for this month was deleted: left deleted (restore brings it back).
        case removed
    }

    public struct Line: Sendable, Equatable {
        public var entry: LeaderboardReport.Entry
        /// The reward as it is after the grant; in a dry run, as it would be.
        public var reward: Reward
        public var outcome: Outcome
    }

    public var month: ReportMonth
    /// How many places were asked for; `lines` may hold more when members tie at the last.
    public var top: Int
    /// The winners in leaderboard order.
    public var lines: [Line]
    /// How many members scored in the month.
    public var scored: Int
    public var dryRun: Bool

    /// Nothing was (or would be) written: every winner had their reward already.
    public var changesNothing: Bool { !lines.contains { $0.outcome == .granted } }
}

/// What `addReward` did.
public enum RewardAddition: String, Sendable, Equatable {
    /// A new reward.
    case added
    /// The member's reward of this month, added by hand before, now with the new gift.
    case updated
    /// The same gift as the member's reward of this month already had: nothing written.
    case unchanged
    /// The member's deleted reward of this month, brought back with the new gift.
    case restored
}
