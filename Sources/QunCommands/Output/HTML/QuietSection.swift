import QunStore

/// Who went quiet: the people to reach out to, longest quiet first, with the days quiet as
/// bars for the first few (the list itself can run long; the table has everyone).
struct QuietSection {
    var report: QuietReport

    /// How many members the chart shows: enough to act on this week.
    static let chartLimit = 20

    static func sourceName(_ source: QuietReport.Source?) -> String {
        switch source {
        case .message: return "message"
        case .checkin: return "check-in"
        case .attendance: return "attendance"
        case .joined: return "joined (no activity)"
        case nil: return "never"
        }
    }

    var frame: HTMLSectionFrame {
        let listed = HTMLFigure.count("quiet.count", report.entries.count).element("span")
        let considered = HTMLFigure.count("quiet.considered", report.considered).element("span")
        let days = HTMLFigure.count("quiet.days", report.days).element("span")
        let reference = HTMLFigure.word("quiet.reference", report.reference.description).element("span")
        let summary = "\(listed) of \(considered) members with no message, check-in or attendance in the last \(days) days, as of \(reference)."

        guard !report.entries.isEmpty else {
            let note = report.considered == 0
                ? "No members yet: nobody to go quiet."
                : "Nobody has been quiet for \(report.days) days: everyone has shown up lately."
            return HTMLSectionFrame(summary: summary, chart: nil, emptyNote: note, table: nil)
        }
        var table = HTMLTable(columns: [
            .init("No."), .init("Name"), .init("Role"), .init("Last seen"), .init("Through"), .init("Days quiet", numeric: true),
        ])
        for entry in report.entries {
            let keys = [(name: "member", value: entry.member.id)]
            table.add([
                .text(entry.member.number ?? ""),
                .text(entry.member.name),
                .text(entry.member.role?.rawValue ?? ""),
                .figure(.word("quiet.last_seen", entry.lastSeen?.description, keys: keys, text: entry.lastSeen?.description ?? "never")),
                .figure(.word("quiet.source", entry.source?.rawValue, keys: keys, text: Self.sourceName(entry.source))),
                .figure(.count("quiet.days_quiet", entry.daysQuiet, keys: keys)),
            ])
        }
        // Members never seen have no length of quiet to draw: they are first in the table.
        let drawn = report.entries.filter { $0.daysQuiet != nil }.prefix(Self.chartLimit)
        guard !drawn.isEmpty else {
            return HTMLSectionFrame(summary: summary, chart: nil,
                                    emptyNote: "No one listed has ever been seen: no days to chart.", table: table)
        }
        let rows = drawn.map { entry in
            HorizontalBarChart.Row(label: LeaderboardSection.memberLabel(entry.member),
                                   values: [Double(entry.daysQuiet ?? 0)],
                                   valueLabels: ["\(entry.daysQuiet ?? 0) days"])
        }
        let chart = HorizontalBarChart(
            name: "quiet", title: "Days since last seen, longest quiet first",
            series: [SVGSeries(name: "days quiet", colour: SVGPalette.orange)], rows: Array(rows))
        return HTMLSectionFrame(summary: summary, chart: chart.svg(), table: table)
    }
}
