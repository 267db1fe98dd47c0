import Foundation
import ArgumentParser
import QunCore
import QunStore

extension Member: CommandRecordKind {
    static let referenceHelp = "Member id prefix, member number or exact name."
    static let called = "a member"
    static let keeps = "all its fields"
    static let removeDiscussion = "A delete wins over edits teammates make concurrently; a restore issued afterwards brings the member back with all fields."
    static let showAbstract = "Show one member with its interaction log, check-ins, activity score and rewards."

    var label: String { "\(shortID) \(name)" }

    func json(store: Store) throws -> JSON { MemberJSON.object(self) }

    func detail(store: Store) throws -> RecordDetail {
        let log = try store.interactions(id)
        let checkins = try store.checkinCount(id)
        let activity = try store.activity(id)
        let rewards = try store.rewards(RewardFilter(member: id))
        let rewardNames = try RewardNames(store, rewards)
        var json = MemberJSON.object(self)
        if case .object(var members) = json {
            members.append(("checkins", .int(Int64(checkins))))
            members.append(("activity", ReportJSON.number(activity.score)))
            members.append(("log", .array(log.map { entry in
                LogEntryFormat.json(at: entry.at, replica: entry.replica, operatorName: entry.operatorName, text: entry.text)
            })))
            members.append(("rewards", .array(rewards.map { RewardJSON.object($0, names: rewardNames) })))
            json = .object(members)
        }
        let names = try store.memberNames(Set([kol, referrer].compactMap { $0 }))
        func person(_ id: String?) -> String? { id.map { "\(names[$0] ?? "?") (\($0.prefix(8)))" } }
        let fields: [(String, String?)] = [
            ("id", id), ("number", number), ("name", name),
            ("role", role?.rawValue), ("kol", person(kol)), ("referrer", person(referrer)),
            ("gate", [gate?.rawValue, gateNote].compactMap { $0 }.joined(separator: " · ")),
            ("city", city), ("joined", joined), ("status", status?.rawValue),
            ("wechat", wechat), ("qq", qq), ("phone", phone), ("email", email),
            ("tags", tags.joined(separator: " ")), ("notes", notes),
            ("check-ins", checkins > 0 ? String(checkins) : nil),
            ("activity", String(format: "%.2f", activity.score) + " on \(activity.reference) (`qun member why \(shortID)` explains it)"),
            deletedField(self),
        ]
        return RecordDetail(json: json, fields: fields, labelWidth: 11, sections: [
            .init(title: "interactions (沟通记录)", lines: log.map { LogEntryFormat.line(at: $0.at, operatorName: $0.operatorName, text: $0.text) }),
            .init(title: "rewards (奖励)", lines: rewards.map { RewardLine.text($0, names: rewardNames) }),
        ])
    }
}
