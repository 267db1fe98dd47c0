import ArgumentParser
import QunStore

struct LeaderboardReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leaderboard",
        abstract: "The month's most active members, for rewards (活跃榜).",
        discussion: """
            Scores count only what happened in the month — event attendance (5), check-ins \
            (2), interactions (1), chat messages (0.2, at most 10 a day) — each halved for every 30 days between its day and the \
            month's last day. Admins and members who left are not ranked. Ties go to the lower \
            member number. `qun member why MEMBER --at DAY` explains one member's score. \
            --by messages ranks by the month's chat messages instead (`qun import chat`).
            """)

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var board: LeaderboardOptions
    @Option(help: "Rank by score (活跃榜) or by chat messages (话痨榜).") var by: LeaderboardReport.Ranking = .score
    @OptionGroup var day: ReportTodayOption
    @OptionGroup var html: HTMLReportOption
    @OptionGroup var output: JSONOption

    func run() throws {
        let store = try globals.openStore()
        let today = try day.resolve(store)
        let top = board.top
        let report = try store.leaderboardReport(month: try board.month(today: today), top: top, today: today, ranking: by)
        try html.write(.leaderboard(report), store: store, reference: today)
        if output.json {
            Console.printJSON(ReportJSON.leaderboard(report, top: top))
            return
        }
        var table = TextTable(columns: [
            .init(title: "RANK", alignRight: true), .init(title: "NO."), .init(title: "NAME", maxWidth: 24),
            .init(title: "ROLE"), .init(title: "SCORE", alignRight: true), .init(title: "MESSAGES", alignRight: true),
            .init(title: "ITEMS", alignRight: true),
        ])
        for entry in report.entries {
            table.addRow([
                String(entry.rank), entry.member.number ?? "", entry.member.name, entry.member.role?.rawValue ?? "",
                ReportFormat.score(entry.score), String(entry.messages), String(entry.contributions),
            ])
        }
        Console.print(table.render(maxWidth: Console.terminalWidth), terminator: "")
        Console.print("\(report.month): \(report.entries.count) of \(report.scored) active member\(report.scored == 1 ? "" : "s"), decayed to \(report.reference)")
        Console.print(report.formula.summary)
    }
}

extension LeaderboardReport.Ranking: ExpressibleByArgument {}
