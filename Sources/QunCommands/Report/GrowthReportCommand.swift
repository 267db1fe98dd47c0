import ArgumentParser
import QunStore

struct GrowthReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "growth",
        abstract: "Joined, left and active people and messages, week by week (增长).",
        discussion: """
            Weeks run Monday to Sunday. Joined counts members by their joined day and people \
            the chat saw join (xx 加入了群聊) whom no joined day counts yet; left counts members \
            whose status was set to left that week and people the chat saw leave; active counts \
            everyone with a message, check-in or attendance that week (chat senders who match no \
            member too, once each); messages counts chat messages.
            """)

    @OptionGroup var globals: GlobalOptions
    @Option(help: "How many weeks, ending with this one.") var weeks = 12
    @OptionGroup var day: ReportTodayOption
    @OptionGroup var html: HTMLReportOption
    @OptionGroup var output: JSONOption

    func validate() throws {
        guard (1...520).contains(weeks) else { throw ValidationError("--weeks must be from 1 to 520, e.g. --weeks 12") }
    }

    func run() throws {
        let store = try globals.openStore()
        let today = try day.resolve(store)
        let report = try store.growthReport(weeks: weeks, today: today)
        try html.write(.growth(report), store: store, reference: today)
        if output.json {
            Console.printJSON(ReportJSON.growth(report))
            return
        }
        var table = TextTable(columns: [
            .init(title: "WEEK"), .init(title: "JOINED", alignRight: true), .init(title: "LEFT", alignRight: true),
            .init(title: "ACTIVE", alignRight: true), .init(title: "MESSAGES", alignRight: true),
        ])
        for week in report.weeks {
            table.addRow([week.start.description, String(week.joined), String(week.left), String(week.active), String(week.messages)])
        }
        let sum = { (key: KeyPath<GrowthReport.Week, Int>) in report.weeks.reduce(0) { $0 + $1[keyPath: key] } }
        table.addRow(["total", String(sum(\.joined)), String(sum(\.left)), "", String(sum(\.messages))])
        Console.print(table.render(maxWidth: Console.terminalWidth), terminator: "")
    }
}
