import Crypto
import Foundation
import QunCore

extension String {
    /// The rewards ledger (奖励台账).
    public static let rewardCollection = "reward"
}

/// A gift the team gives a member for a month: the monthly leaderboard's winners (`grant`)
/// or someone the operators pick by hand (`add`). The ledger says who gets what, and whether
/// the gift has been given yet.
public struct Reward: Sendable, Equatable {
    public var id: String
    /// The member's id.
    public var member: String
    /// The month rewarded, `YYYY-MM`.
    public var month: String
    /// How the reward came about; nil for a value this qun does not know.
    public var origin: Origin?
    public var gift: String
    public var points: Int?
    public var note: String?
    /// The member's place on the month's leaderboard when it was granted (leaderboard rewards).
    public var rank: Int?
    /// The member's leaderboard score when it was granted (leaderboard rewards).
    public var score: Double?
    /// Who first marked the gift as given, and when; nil while it has not been given.
    public var sent: SentMark?
    public var deleted: Bool

    /// How a reward came about: its kind, part of its id.
    public enum Origin: String, CaseIterable, Sendable {
        /// Granted from the month's leaderboard (`grant`).
        case leaderboard
        /// Added by hand for one member (`add`).
        case manual
    }

    /// The mark that a gift was given: the first entry of the reward's `sent` log.
    public struct SentMark: Sendable, Equatable {
        public var at: HLC
        public var replica: ReplicaID
        /// The day the operator gave it, on their laptop.
        public var day: String
    }

    public var isSent: Bool { sent != nil }

    public enum Field: String, CaseIterable, Sendable {
        case member, month, kind, gift, points, note, rank, score
    }

    /// The append-only log whose entries mark the gift as given. A log, not a register: an
    /// entry is never overwritten by a concurrent edit or grant, so a gift once sent stays
    /// sent on every laptop (only `undo` of the marking itself takes it back).
    public static let sentField = "sent"

    /// The record id of `origin`'s reward to `member` for `month`: a hash of the three, so that
    /// two laptops granting the same month offline make one reward per member, not two. (The
    /// gift text is a register: the later edit wins.)
    public static func id(month: ReportMonth, member: String, origin: Origin) -> String {
        var hasher = SHA256()
        hasher.update(data: Array("qun reward v1\u{0}".utf8))
        hasher.update(data: Array("\(month)\u{0}\(member)\u{0}\(origin.rawValue)".utf8))
        return hasher.finalize().prefix(16).map { String(format: "%02x", $0) }.joined()
    }
}
