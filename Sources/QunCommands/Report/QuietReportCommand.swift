import ArgumentParser
import QunStore

struct QuietReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quiet",
        abstract: "Who went quiet: no message, check-in or attendance in N days (潜水).",
        discussion: """
            Lists members with no chat message, check-in or event attendance in the last \
            --days days, longest quiet first: who to reach out to. A member who never did \
            anything counts from the joined day. Admins and members who left are not listed.
            """)

    @OptionGroup var globals: GlobalOptions
    @Option(help: "Quiet for at least this many days.") var days = 30
    @OptionGroup var day: ReportTodayOption
    @OptionGroup var html: HTMLReportOption
    @OptionGroup var output: JSONOption

    func validate() throws {
        guard (1...3660).contains(days) else { throw ValidationError("--days must be from 1 to 3660, e.g. --days 30") }
    }

    func run() throws {
        let store = try globals.openStore()
        let report = try store.quietReport(days: days, today: try day.resolve(store))
        try html.write(.quiet(report), store: store, reference: report.reference)
        if output.json {
            Console.printJSON(ReportJSON.quiet(report))
            return
        }
        var table = TextTable(columns: [
            .init(title: "NO."), .init(title: "NAME", maxWidth: 24), .init(title: "ROLE"), .init(title: "LAST SEEN"),
            .init(title: "BY"), .init(title: "DAYS", alignRight: true),
        ])
        for entry in report.entries {
            table.addRow([
                entry.member.number ?? "", entry.member.name, entry.member.role?.rawValue ?? "",
                entry.lastSeen?.description ?? "never", entry.source?.rawValue ?? "", entry.daysQuiet.map(String.init) ?? "-",
            ])
        }
        Console.print(table.render(maxWidth: Console.terminalWidth), terminator: "")
        Console.print("\(report.entries.count) of \(report.considered) member\(report.considered == 1 ? "" : "s") quiet for \(report.days)+ days at \(report.reference)")
    }
}
