import ArgumentParser
import QunCore
import QunStore

struct ShowEvent: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one event plan: fields, sign-ups, attendance, run-sheet and retrospective.",
        discussion: "Sign-ups and attendance list members who are not deleted.")

    @OptionGroup var globals: GlobalOptions
    @Argument(help: "Event id prefix or exact title.") var event: String
    @OptionGroup var output: JSONOption

    func run() throws {
        let store = try globals.openStore()
        let shown = try store.event(event, includeDeleted: true)
        let retrospective = try store.retrospective(shown.id)
        let runSheet = try store.runSheet(shown.id)
        if output.json {
            Console.printJSON(EventJSON.detailed(shown, retrospective: retrospective, runSheet: runSheet))
            return
        }
        let names = try store.memberNames(Set(shown.signups + shown.attendance))
        func people(_ ids: [String]) -> String? {
            ids.isEmpty ? nil : ids.map { names[$0] ?? String($0.prefix(8)) }
                .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.joined(separator: " ")
        }
        let budget = shown.budget.map { $0 == $0.rounded() ? "¥\(Int64($0))" : "¥\($0)" }
        let when = [shown.start, shown.end].compactMap { $0 }.joined(separator: " → ")
        let rows: [(String, String?)] = [
            ("id", shown.id), ("title", shown.title), ("phase", shown.phase.rawValue),
            ("kind", shown.kind?.rawValue), ("when", when), ("place", shown.place), ("city", shown.city),
            ("purpose", shown.purpose), ("target", shown.target.map { "\($0) sign-ups" }),
            ("rules", shown.rules), ("rewards", shown.rewards), ("budget", budget),
            ("signups", "\(shown.signups.count)" + (shown.target.map { " of \($0)" } ?? "") + (people(shown.signups).map { ": \($0)" } ?? "")),
            ("came", "\(shown.attendance.count)" + (people(shown.attendance).map { ": \($0)" } ?? "")),
            ("walk-ins", people(shown.walkIns)),
            ("deleted", shown.deleted ? "yes (restore with `qun event restore \(shown.shortID)`)" : nil),
        ]
        for (label, value) in rows {
            guard let value, !value.isEmpty else { continue }
            Console.print(pad(label, toWidth: 10) + value)
        }
        if !runSheet.isEmpty {
            Console.print("")
            Console.print("run-sheet:")
            var table = TextTable(columns: [
                .init(title: "ID"), .init(title: "TASK", maxWidth: 30), .init(title: "OWNER", maxWidth: 12),
                .init(title: "DUE"), .init(title: "OFFSET", alignRight: true), .init(title: "STATUS"),
            ])
            for task in runSheet {
                table.addRow([
                    task.shortID, task.title, task.assignee ?? "", task.due ?? "",
                    task.offset.map { $0 > 0 ? "+\($0)d" : "\($0)d" } ?? "", task.status.rawValue,
                ])
            }
            Console.print(table.render(maxWidth: Console.terminalWidth), terminator: "")
        }
        if !retrospective.isEmpty {
            Console.print("")
            Console.print("retrospective (复盘):")
            for section in Event.Retro.allCases {
                let lines = retrospective.filter { $0.section == section }
                guard !lines.isEmpty else { continue }
                Console.print("  \(section.rawValue):")
                for line in lines {
                    Console.print(LogEntryFormat.line(at: line.at, operatorName: line.operatorName, text: line.text, indent: "    "))
                }
            }
        }
    }
}
