import ArgumentParser
import QunStore

struct PyramidReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pyramid",
        abstract: "Members by role against the healthy pyramid (5% KOL, 20% core, 75% members).",
        discussion: """
            Counts members that are not deleted and have not left; quiet members count. \
            Admins are listed apart and left out of the shares. A share is "within" its guide \
            when it is no further from it than a quarter of the guide (KOL 3.75–6.25%, core \
            15–25%, members 56.25–93.75%), else "below" or "above".
            """)

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var html: HTMLReportOption
    @OptionGroup var output: JSONOption

    func run() throws {
        let store = try globals.openStore()
        let report = try store.pyramidReport()
        try html.write(.pyramid(report), store: store, reference: store.localToday())
        if output.json {
            Console.printJSON(ReportJSON.pyramid(report))
            return
        }
        var table = TextTable(columns: [
            .init(title: "LEVEL"), .init(title: "COUNT", alignRight: true), .init(title: "SHARE", alignRight: true),
            .init(title: "GUIDE", alignRight: true), .init(title: "VERDICT"),
        ])
        for level in report.levels {
            table.addRow([
                level.role == .kol ? "KOL" : level.role.rawValue, String(level.count),
                PyramidReport.percent(level.share), "\(Int((level.guide * 100).rounded()))%", level.verdict.rawValue,
            ])
        }
        Console.print(table.render(maxWidth: Console.terminalWidth), terminator: "")
        var footer = "\(report.total) member\(report.total == 1 ? "" : "s") in the shares; \(report.admins) admin\(report.admins == 1 ? "" : "s") not counted"
        if report.unclassified > 0 { footer += "; \(report.unclassified) without a known role not counted" }
        Console.print(footer)
        // With nobody in the shares there is no shape to judge.
        for level in report.levels where level.verdict != .within && report.total > 0 {
            Console.print(level.verdictText)
        }
    }
}
