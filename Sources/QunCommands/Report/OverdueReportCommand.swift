import ArgumentParser
import QunStore

struct OverdueReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overdue",
        abstract: "Undone tasks past their due day, by assignee.",
        discussion: """
            A task is overdue when its status is todo or doing (or unset) and its due day is \
            before today; a task due today is not overdue yet. Assignees with the most overdue \
            tasks come first; unassigned tasks last.
            """)

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var day: ReportTodayOption
    @OptionGroup var output: JSONOption

    func run() throws {
        let store = try globals.openStore()
        let report = try store.overdueReport(today: try day.resolve(store))
        if output.json {
            Console.printJSON(ReportJSON.overdue(report))
            return
        }
        var table = TextTable(columns: [
            .init(title: "ASSIGNEE", maxWidth: 16), .init(title: "COUNT", alignRight: true), .init(title: "OLDEST DUE"),
            .init(title: "DAYS LATE", alignRight: true), .init(title: "OLDEST TASK", maxWidth: 40),
        ])
        for group in report.groups {
            table.addRow([
                group.assignee ?? "(unassigned)", String(group.count), group.oldest.due,
                String(group.oldest.daysLate), group.oldest.title,
            ])
        }
        Console.print(table.render(maxWidth: Console.terminalWidth), terminator: "")
        Console.print("\(report.total) overdue task\(report.total == 1 ? "" : "s") on \(report.today)")
    }
}
