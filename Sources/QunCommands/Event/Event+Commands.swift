import ArgumentParser
import QunCore
import QunStore

extension Event: CommandRecordKind {
    static let referenceHelp = "Event id prefix or exact title."
    static let called = "an event plan"
    static let keeps = "its fields, sign-ups and retrospective"
    static let removeDiscussion = "Its run-sheet tasks stay as they are; a delete wins over teammates' concurrent edits."
    static let showAbstract = "Show one event plan: fields, sign-ups, attendance, run-sheet and retrospective."
    static let showDiscussion = "Sign-ups and attendance list members who are not deleted."

    /// The title and when.
    var label: String { "\(shortID) \(title)" + (start.map { " (\($0))" } ?? "") }

    func json(store: Store) throws -> JSON { EventJSON.object(self) }

    func detail(store: Store) throws -> RecordDetail {
        let retrospective = try store.retrospective(id)
        let runSheet = try store.runSheet(id)
        let names = try store.memberNames(Set(signups + attendance))
        func people(_ ids: [String]) -> String? {
            ids.isEmpty ? nil : ids.map { names[$0] ?? String($0.prefix(8)) }
                .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.joined(separator: " ")
        }
        let budgetText = budget.map { $0 == $0.rounded() ? "¥\(Int64($0))" : "¥\($0)" }
        let when = [start, end].compactMap { $0 }.joined(separator: " → ")
        let fields: [(String, String?)] = [
            ("id", id), ("title", title), ("phase", phase.rawValue),
            ("kind", kind?.rawValue), ("when", when), ("place", place), ("city", city),
            ("purpose", purpose), ("target", target.map { "\($0) sign-ups" }),
            ("rules", rules), ("rewards", rewards), ("budget", budgetText),
            ("signups", "\(signups.count)" + (target.map { " of \($0)" } ?? "") + (people(signups).map { ": \($0)" } ?? "")),
            ("came", "\(attendance.count)" + (people(attendance).map { ": \($0)" } ?? "")),
            ("walk-ins", people(walkIns)),
            deletedField(self),
        ]
        var sheet = TextTable(columns: [
            .init(title: "ID"), .init(title: "TASK", maxWidth: 30), .init(title: "OWNER", maxWidth: 12),
            .init(title: "DUE"), .init(title: "OFFSET", alignRight: true), .init(title: "STATUS"),
        ])
        for task in runSheet {
            sheet.addRow([
                task.shortID, task.title, task.assignee ?? "", task.due ?? "",
                task.offset.map { $0 > 0 ? "+\($0)d" : "\($0)d" } ?? "", task.status.rawValue,
            ])
        }
        var retro: [String] = []
        for section in Event.Retro.allCases {
            let lines = retrospective.filter { $0.section == section }
            guard !lines.isEmpty else { continue }
            retro.append("  \(section.rawValue):")
            retro += lines.map { LogEntryFormat.line(at: $0.at, operatorName: $0.operatorName, text: $0.text, indent: "    ") }
        }
        let sheetLines = runSheet.isEmpty ? [] : sheet.render(maxWidth: Console.terminalWidth).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        return RecordDetail(
            json: EventJSON.detailed(self, retrospective: retrospective, runSheet: runSheet), fields: fields, labelWidth: 10,
            sections: [.init(title: "run-sheet", lines: sheetLines), .init(title: "retrospective (复盘)", lines: retro)])
    }
}
