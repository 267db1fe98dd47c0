import Foundation
import ArgumentParser
import QunCore
import QunStore

struct ShowMember: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one member with its interaction log, check-ins and activity score.")

    @OptionGroup var globals: GlobalOptions
    @Argument(help: "Member id prefix, member number or exact name.") var member: String
    @OptionGroup var output: JSONOption

    func run() throws {
        let store = try globals.openStore()
        let shown = try store.member(member, includeDeleted: true)
        let log = try store.interactions(shown.id)
        let checkins = try store.checkinCount(shown.id)
        let activity = try store.activity(shown.id)
        if output.json {
            guard case .object(var members) = MemberJSON.object(shown) else { return }
            members.append(("checkins", .int(Int64(checkins))))
            members.append(("activity", ReportJSON.number(activity.score)))
            members.append(("log", .array(log.map { entry in
                LogEntryFormat.json(at: entry.at, replica: entry.replica, operatorName: entry.operatorName, text: entry.text)
            })))
            Console.printJSON(.object(members))
            return
        }
        let names = try store.memberNames(Set([shown.kol, shown.referrer].compactMap { $0 }))
        func person(_ id: String?) -> String? { id.map { "\(names[$0] ?? "?") (\($0.prefix(8)))" } }
        let rows: [(String, String?)] = [
            ("id", shown.id), ("number", shown.number), ("name", shown.name),
            ("role", shown.role?.rawValue), ("kol", person(shown.kol)), ("referrer", person(shown.referrer)),
            ("gate", [shown.gate?.rawValue, shown.gateNote].compactMap { $0 }.joined(separator: " · ")),
            ("city", shown.city), ("joined", shown.joined), ("status", shown.status?.rawValue),
            ("wechat", shown.wechat), ("phone", shown.phone), ("email", shown.email),
            ("tags", shown.tags.joined(separator: " ")), ("notes", shown.notes),
            ("check-ins", checkins > 0 ? String(checkins) : nil),
            ("activity", String(format: "%.2f", activity.score) + " on \(activity.reference) (`qun member why \(shown.shortID)` explains it)"),
            ("deleted", shown.deleted ? "yes (restore with `qun member restore \(shown.shortID)`)" : nil),
        ]
        for (label, value) in rows {
            guard let value, !value.isEmpty else { continue }
            Console.print(pad(label, toWidth: 11) + value)
        }
        if !log.isEmpty {
            Console.print("")
            Console.print("interactions (沟通记录):")
            for entry in log {
                Console.print(LogEntryFormat.line(at: entry.at, operatorName: entry.operatorName, text: entry.text))
            }
        }
    }
}
