import ArgumentParser
import QunStore

struct EventsReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Per event: target vs sign-ups vs attendance.",
        discussion: """
            Counts live members only. FILL is sign-ups over target, SHOW-UP attendance over \
            sign-ups; "-" where there is no target or no sign-up yet.
            """)

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var html: HTMLReportOption
    @OptionGroup var output: JSONOption

    func run() throws {
        let store = try globals.openStore()
        let report = try store.eventReport()
        try html.write(.events(report), store: store, reference: store.localToday())
        if output.json {
            Console.printJSON(ReportJSON.events(report))
            return
        }
        var table = TextTable(columns: [
            .init(title: "ID"), .init(title: "TITLE", maxWidth: 30), .init(title: "START"), .init(title: "PHASE"),
            .init(title: "TARGET", alignRight: true), .init(title: "SIGNUPS", alignRight: true),
            .init(title: "ATTENDED", alignRight: true), .init(title: "FILL", alignRight: true),
            .init(title: "SHOW-UP", alignRight: true),
        ])
        for event in report.events {
            table.addRow([
                String(event.id.prefix(8)), event.title, event.start ?? "", event.phase.rawValue,
                event.target.map(String.init) ?? "-", String(event.signups), String(event.attendance),
                ReportFormat.rate(event.fillRate), ReportFormat.rate(event.showUpRate),
            ])
        }
        Console.print(table.render(maxWidth: Console.terminalWidth), terminator: "")
        Console.print("\(report.events.count) event\(report.events.count == 1 ? "" : "s")")
    }
}
