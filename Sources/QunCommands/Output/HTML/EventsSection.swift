import Foundation
import QunStore

/// Event turnout: per event, the target against sign-ups against attendance, and the fill
/// rate (sign-ups over target) beside each, since that is the figure a lead asks about.
struct EventsSection {
    var report: EventReport

    static let series = [
        SVGSeries(name: "target", colour: SVGPalette.grey, pattern: true),
        SVGSeries(name: "sign-ups", colour: SVGPalette.blue),
        SVGSeries(name: "attended", colour: SVGPalette.green),
    ]

    static func eventLabel(_ event: EventReport.Row) -> String {
        guard let start = event.start else { return event.title }
        return "\(event.title) · \(start.prefix(10))"
    }

    var frame: HTMLSectionFrame {
        let count = HTMLFigure.count("events.count", report.events.count).element("span")
        let summary = "\(count) events. Fill is sign-ups over target, show-up attendance over sign-ups; \"-\" where there is no target or no sign-up yet. Live members only."
        guard !report.events.isEmpty else {
            return HTMLSectionFrame(summary: summary, chart: nil, emptyNote: "No events yet.", table: nil)
        }
        var table = HTMLTable(columns: [
            .init("Event"), .init("Start"), .init("Phase"), .init("Target", numeric: true), .init("Sign-ups", numeric: true),
            .init("Attended", numeric: true), .init("Fill", numeric: true), .init("Show-up", numeric: true),
        ])
        for event in report.events {
            let keys = [(name: "event", value: event.id)]
            table.add([
                .text(event.title),
                .text(event.start.map { $0.replacingOccurrences(of: "T", with: " ") } ?? ""),
                .text(event.phase.rawValue),
                .figure(.count("events.target", event.target, keys: keys)),
                .figure(.count("events.signups", event.signups, keys: keys)),
                .figure(.count("events.attendance", event.attendance, keys: keys)),
                .figure(.real("events.fill_rate", event.fillRate, keys: keys, text: PyramidReport.percent)),
                .figure(.real("events.show_up_rate", event.showUpRate, keys: keys, text: PyramidReport.percent)),
            ])
        }
        let rows = report.events.map { event in
            HorizontalBarChart.Row(
                label: Self.eventLabel(event),
                values: [event.target.map(Double.init), Double(event.signups), Double(event.attendance)],
                valueLabels: [event.target.map { "target \($0)" } ?? "no target", "\(event.signups) signed up", "\(event.attendance) came"],
                note: "fill \(ReportFormat.rate(event.fillRate))")
        }
        let chart = HorizontalBarChart(
            name: "events", title: "Event turnout: target, sign-ups and attendance per event",
            series: Self.series, rows: rows)
        return HTMLSectionFrame(summary: summary, chart: chart.svg(), table: table)
    }
}
