import ArgumentParser
import QunStore

struct HoursReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hours",
        abstract: "When the group is awake: messages by hour and weekday (活跃时间).",
        discussion: """
            Counts the chat messages of the last --days days (`qun import chat`) by hour of day \
            and by weekday, on the group's own clock as the export wrote it, and names the \
            busiest slots: when a post is most likely to be read. Joins, leaves and recalls are \
            not messages. --html FILE draws the weekday × hour heat-map.
            """)

    @OptionGroup var globals: GlobalOptions
    @Option(help: "How many days, ending today.") var days = 90
    @OptionGroup var day: ReportTodayOption
    @OptionGroup var html: HTMLReportOption
    @OptionGroup var output: JSONOption

    func validate() throws {
        guard (1...3660).contains(days) else { throw ValidationError("--days must be from 1 to 3660, e.g. --days 90") }
    }

    func run() throws {
        let store = try globals.openStore()
        let report = try store.hoursReport(days: days, today: try day.resolve(store))
        try html.write(.hours(report), store: store, reference: report.to)
        if output.json {
            Console.printJSON(ReportJSON.hours(report))
            return
        }
        let widest = max(report.byHour.max() ?? 0, 1)
        var table = TextTable(columns: [
            .init(title: "HOUR", alignRight: true), .init(title: "MESSAGES", alignRight: true), .init(title: ""),
        ])
        for (hour, count) in report.byHour.enumerated() {
            table.addRow([String(format: "%02d", hour), String(count), String(repeating: "█", count: count * 30 / widest)])
        }
        Console.print(table.render(maxWidth: Console.terminalWidth), terminator: "")
        let weekdays = zip(HoursReport.weekdayNames, report.byWeekday).map { "\($0) \($1)" }.joined(separator: " · ")
        Console.print(weekdays)
        let busiest = report.busiest().map { "\(HoursReport.weekdayNames[$0.weekday]) \(String(format: "%02d", $0.hour)):00 (\($0.messages))" }
        Console.print("\(report.messages) message\(report.messages == 1 ? "" : "s") from \(report.from) to \(report.to)"
            + (busiest.isEmpty ? "" : "; busiest: " + busiest.joined(separator: ", ")))
    }
}
