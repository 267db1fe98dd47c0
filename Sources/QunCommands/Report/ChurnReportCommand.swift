import ArgumentParser
import QunStore

struct ChurnReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "churn",
        abstract: "Members joined, gone quiet and left, per month (流失).",
        discussion: """
            Joined counts by the joined date. Quiet and left count members whose status is \
            quiet or left now, in the month that status was last set: a member who came back \
            is no longer a loss. Deleted members are not counted.
            """)

    @OptionGroup var globals: GlobalOptions
    @Option(help: "How many months, ending with this one.") var months = 6
    @OptionGroup var day: ReportTodayOption
    @OptionGroup var html: HTMLReportOption
    @OptionGroup var output: JSONOption

    func validate() throws {
        guard (1...120).contains(months) else { throw ValidationError("--months must be from 1 to 120, e.g. --months 6") }
    }

    func run() throws {
        let store = try globals.openStore()
        let today = try day.resolve(store)
        let report = try store.churnReport(months: months, today: today)
        try html.write(.churn(report), store: store, reference: today)
        if output.json {
            Console.printJSON(ReportJSON.churn(report))
            return
        }
        var table = TextTable(columns: [
            .init(title: "MONTH"), .init(title: "JOINED", alignRight: true), .init(title: "QUIET", alignRight: true),
            .init(title: "LEFT", alignRight: true),
        ])
        for month in report.months {
            table.addRow([month.month.description, String(month.joined), String(month.quiet), String(month.left)])
        }
        let sum = { (key: KeyPath<ChurnReport.Month, Int>) in report.months.reduce(0) { $0 + $1[keyPath: key] } }
        table.addRow(["total", String(sum(\.joined)), String(sum(\.quiet)), String(sum(\.left))])
        Console.print(table.render(maxWidth: Console.terminalWidth), terminator: "")
    }
}
