import ArgumentParser
import QunStore

struct AllReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "all",
        abstract: "Every report at once: one HTML page with charts (--html FILE), or all the JSON.",
        discussion: """
            Writes the pyramid, the month's leaderboard (by score and by messages), growth by \
            week, churn by month, active hours, who went quiet and event turnout into one \
            self-contained HTML file: no network and no script needed to read it, Chinese text \
            and SVG charts included, for sending to the team lead. The figures are those of \
            each report's --json, which --json prints together under the reports' names.

            Example: qun report all --html 读书会-十二月.html
            """)

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var board: LeaderboardOptions
    @Option(help: "Growth: weeks ending with this one.") var weeks = 12
    @Option(help: "Churn: months ending with this one.") var months = 6
    @Option(help: "Hours: days ending today.") var days = 90
    @Option(name: .customLong("quiet-days"), help: "Quiet: at least this many days.") var quietDays = 30
    @OptionGroup var day: ReportTodayOption
    @OptionGroup var html: HTMLReportOption
    @OptionGroup var output: JSONOption

    func validate() throws {
        guard html.file != nil || output.json else {
            throw ValidationError("report all writes a page or JSON: give --html FILE, --json, or both")
        }
    }

    func run() throws {
        let store = try globals.openStore()
        let today = try day.resolve(store)
        let month = try board.month(today: today)
        let top = board.top
        let pyramid = try store.pyramidReport()
        let board = try store.leaderboardReport(month: month, top: top, today: today)
        let chatty = try store.leaderboardReport(month: month, top: top, today: today, ranking: .messages)
        let growth = try store.growthReport(weeks: weeks, today: today)
        let churn = try store.churnReport(months: months, today: today)
        let hours = try store.hoursReport(days: days, today: today)
        let quiet = try store.quietReport(days: quietDays, today: today)
        let events = try store.eventReport()
        try html.write([.pyramid(pyramid), .leaderboard(board), .leaderboard(chatty), .growth(growth), .churn(churn),
                        .hours(hours), .quiet(quiet), .events(events)], store: store, reference: today)
        if output.json {
            Console.printJSON(.object([
                ("churn", ReportJSON.churn(churn)), ("events", ReportJSON.events(events)),
                ("growth", ReportJSON.growth(growth)), ("hours", ReportJSON.hours(hours)),
                ("leaderboard", ReportJSON.leaderboard(board, top: top)),
                ("leaderboard_messages", ReportJSON.leaderboard(chatty, top: top)),
                ("pyramid", ReportJSON.pyramid(pyramid)), ("quiet", ReportJSON.quiet(quiet)),
            ]))
        }
    }
}
