import ArgumentParser
import QunCore
import QunStore

extension Reward: CommandRecordKind {
    static let referenceHelp = "Reward id prefix (the first column of `qun reward list`)."
    static let called = "a reward"
    static let keeps = "its gift and its sent mark"
    static let showAbstract = "Show one reward: member, month, gift, and who marked it sent and when."

    var label: String { "\(shortID) \(month) \(gift)" }

    func json(store: Store) throws -> JSON { try RewardJSON.object(self, names: RewardNames(store, [self])) }

    func detail(store: Store) throws -> RecordDetail {
        let names = try RewardNames(store, [self])
        let fields: [(String, String?)] = [
            ("id", id), ("member", names.member(self)), ("month", month), ("kind", origin?.rawValue),
            ("gift", gift), ("points", points.map(String.init)), ("note", note),
            ("rank", rank.map { "\($0) on the leaderboard" + (score.map { ", score \(ReportFormat.score($0))" } ?? "") }),
            ("sent", names.sentText(self) ?? "not yet (mark it with `qun reward sent \(shortID)`)"),
            deletedField(self),
        ]
        return RecordDetail(json: try RewardJSON.object(self, names: names), fields: fields, labelWidth: 8)
    }
}

/// The names a reward is shown with: its member's and the operator who marked it sent.
struct RewardNames {
    var members: [String: (name: String, number: String?)] = [:]
    var operators: [ReplicaID: String]

    init(_ store: Store, _ rewards: [Reward]) throws {
        operators = rewards.contains(where: \.isSent) ? try store.operatorNames() : [:]
        for id in Set(rewards.map(\.member)) {
            if let member = try? store.member(id, includeDeleted: true) { members[id] = (member.name, member.number) }
        }
    }

    func memberName(_ reward: Reward) -> String? { members[reward.member]?.name }

    /// "张三 7QKM-3 (3f2a91d0)".
    func member(_ reward: Reward) -> String {
        let known = members[reward.member]
        return [known?.name ?? "?", known?.number].compactMap { $0 }.joined(separator: " ") + " (\(reward.member.prefix(8)))"
    }

    func operatorName(_ mark: Reward.SentMark) -> String {
        operators[mark.replica] ?? String(mark.replica.hex.prefix(8))
    }

    /// "2026-12-01, marked by 林晓 at 2026-12-01 14:03".
    func sentText(_ reward: Reward) -> String? {
        reward.sent.map { "\($0.day), marked by \(operatorName($0)) at \(TimeFormat.local($0.at))" }
    }
}

/// The `--json` form of a reward. Keys are stable (see the README).
enum RewardJSON {
    static func object(_ reward: Reward, names: RewardNames, extra: [(String, JSON)] = []) -> JSON {
        // In key order (UTF-8 bytes), so the canonical writer need not sort.
        var members: [(String, JSON)] = [
            ("deleted", .bool(reward.deleted)),
            ("gift", .string(reward.gift)),
            ("id", .string(reward.id)),
            ("kind", ReportJSON.text(reward.origin?.rawValue)),
            ("member", .string(reward.member)),
            ("member_name", ReportJSON.text(names.memberName(reward))),
            ("month", .string(reward.month)),
            ("note", ReportJSON.text(reward.note)),
            ("points", ReportJSON.int(reward.points)),
            ("rank", ReportJSON.int(reward.rank)),
            ("score", reward.score.map(ReportJSON.number) ?? .null),
            ("sent", .bool(reward.isSent)),
            ("sent_at", reward.sent.map { .int($0.at.milliseconds) } ?? .null),
            ("sent_by", reward.sent.map { .string($0.replica.hex) } ?? .null),
            ("sent_day", reward.sent.map { .string($0.day) } ?? .null),
            ("sent_operator", reward.sent.map { .string(names.operatorName($0)) } ?? .null),
        ]
        members += extra
        return .object(members)
    }
}

/// A reward as one line of `member show`.
enum RewardLine {
    /// "  2026-11  #1 书一本 (50 points)  sent 2026-12-01 by 林晓  3f2a91d0".
    static func text(_ reward: Reward, names: RewardNames) -> String {
        let kind = reward.origin == .leaderboard ? "#\(reward.rank.map(String.init) ?? "?")" : (reward.origin?.rawValue ?? "?")
        let points = reward.points.map { " (\($0) points)" } ?? ""
        let sent = reward.sent.map { "sent \($0.day) by \(names.operatorName($0))" } ?? "not sent yet"
        return "  \(reward.month)  \(kind) \(reward.gift)\(points)  \(sent)  \(reward.shortID)"
    }
}
