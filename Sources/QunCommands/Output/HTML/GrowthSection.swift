import QunStore

// Churn (months) and growth (weeks) are the same picture at two scales: people coming and
// going, period by period, as columns side by side.

/// Joined, gone quiet and left, month by month.
struct ChurnSection {
    var report: ChurnReport

    static let series = [
        SVGSeries(name: "joined", colour: SVGPalette.green),
        SVGSeries(name: "quiet", colour: SVGPalette.orange),
        SVGSeries(name: "left", colour: SVGPalette.red),
    ]

    var frame: HTMLSectionFrame {
        var table = HTMLTable(columns: [
            .init("Month"), .init("Joined", numeric: true), .init("Quiet", numeric: true), .init("Left", numeric: true),
        ])
        for month in report.months {
            let keys = [(name: "month", value: month.month.description)]
            table.add([
                .heading(month.month.description),
                .figure(.count("churn.joined", month.joined, keys: keys)),
                .figure(.count("churn.quiet", month.quiet, keys: keys)),
                .figure(.count("churn.left", month.left, keys: keys)),
            ])
        }
        let sum = { (key: KeyPath<ChurnReport.Month, Int>) in String(report.months.reduce(0) { $0 + $1[keyPath: key] }) }
        table.footer = [[.heading("total"), .text(sum(\.joined)), .text(sum(\.quiet)), .text(sum(\.left))]]

        let range = report.months.first.map { first in "\(first.month) to \(report.months.last?.month ?? first.month)" } ?? ""
        let summary = HTMLDocument.escape("\(range): members by the month they joined, and by the month they went quiet or left (if they still are).")
        let empty = report.months.allSatisfy { $0.joined == 0 && $0.quiet == 0 && $0.left == 0 }
        guard !empty else {
            return HTMLSectionFrame(summary: summary, chart: nil,
                                    emptyNote: "No members joined, went quiet or left in these months yet.", table: table)
        }
        let chart = ColumnChart(
            name: "churn", title: "Churn by month: joined, gone quiet and left", series: Self.series,
            categories: report.months.map(\.month.description),
            values: report.months.map { [$0.joined, $0.quiet, $0.left] },
            tooltips: report.months.map(\.month.description))
        return HTMLSectionFrame(summary: summary, chart: chart.svg(), table: table)
    }
}

/// Joined, left and active people week by week (Monday to Sunday), with the week's messages
/// in the table: messages run to hundreds where people run to tens, and would flatten the
/// columns if drawn beside them.
struct GrowthSection {
    var report: GrowthReport

    static let series = [
        SVGSeries(name: "joined", colour: SVGPalette.green),
        SVGSeries(name: "left", colour: SVGPalette.red),
        SVGSeries(name: "active", colour: SVGPalette.blue),
    ]

    /// `03-04` under a column: the year is in the table and the tooltip.
    static func shortDay(_ day: CalendarDay) -> String {
        String(day.description.dropFirst(5))
    }

    var frame: HTMLSectionFrame {
        var table = HTMLTable(columns: [
            .init("Week of"), .init("Joined", numeric: true), .init("Left", numeric: true),
            .init("Active", numeric: true), .init("Messages", numeric: true),
        ])
        for week in report.weeks {
            let keys = [(name: "week", value: week.start.description)]
            table.add([
                .heading(week.start.description),
                .figure(.count("growth.joined", week.joined, keys: keys)),
                .figure(.count("growth.left", week.left, keys: keys)),
                .figure(.count("growth.active", week.active, keys: keys)),
                .figure(.count("growth.messages", week.messages, keys: keys)),
            ])
        }
        let range = report.weeks.first.map { first in "Weeks of \(first.start) to \(report.weeks.last?.start ?? first.start)" } ?? ""
        let summary = HTMLDocument.escape("\(range) (Monday to Sunday): people who joined, left and were active, counting chat members no member record matches.")
        let empty = report.weeks.allSatisfy { $0.joined == 0 && $0.left == 0 && $0.active == 0 && $0.messages == 0 }
        guard !empty else {
            return HTMLSectionFrame(summary: summary, chart: nil,
                                    emptyNote: "No one joined, left or was active in these weeks yet.", table: table)
        }
        let chart = ColumnChart(
            name: "growth", title: "Growth by week: joined, left and active people", series: Self.series,
            categories: report.weeks.map { Self.shortDay($0.start) },
            values: report.weeks.map { [$0.joined, $0.left, $0.active] },
            tooltips: report.weeks.map { "week of \($0.start)" })
        return HTMLSectionFrame(summary: summary, chart: chart.svg(), table: table)
    }
}
