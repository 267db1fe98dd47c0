import QunStore

/// When the group talks: a week-by-hour heat map, Monday first, hour 0 to 23, for picking
/// when to post.
struct HoursSection {
    var report: HoursReport

    /// `Mon` … `Sun` for 0 … 6, as the text report names them.
    static func weekdayName(_ weekday: Int) -> String {
        HoursReport.weekdayNames.indices.contains(weekday) ? HoursReport.weekdayNames[weekday] : "?"
    }

    /// The count of a slot, 0 where the report has no such slot.
    func count(weekday: Int, hour: Int) -> Int {
        report.counts.indices.contains(weekday) && report.counts[weekday].indices.contains(hour)
            ? report.counts[weekday][hour] : 0
    }

    var frame: HTMLSectionFrame {
        let messages = HTMLFigure.count("hours.messages", report.messages).element("span")
        let from = HTMLFigure.word("hours.from", report.from.description).element("span")
        let to = HTMLFigure.word("hours.to", report.to.description).element("span")
        var summary = "\(messages) messages from \(from) to \(to), on the group's own clock."
        let busiest = report.busiest()
        if !busiest.isEmpty {
            let slots = busiest.map { "\(Self.weekdayName($0.weekday)) \($0.hour):00 (\($0.messages))" }.joined(separator: ", ")
            summary += HTMLDocument.escape(" Busiest: \(slots).")
        }
        guard report.messages > 0 else {
            // 168 zeros say nothing the note does not.
            return HTMLSectionFrame(summary: summary, chart: nil,
                                    emptyNote: "No messages yet: import a chat export to see when the group is awake.",
                                    table: nil)
        }

        var table = HTMLTable(columns: [.init("Day")] + (0..<24).map { .init(String($0), numeric: true) } + [.init("Total", numeric: true)],
                              classes: "grid")
        let byWeekday = report.byWeekday
        for weekday in 0..<7 {
            let day = [(name: "weekday", value: String(weekday))]
            var row: [HTMLTable.Cell] = [.heading(Self.weekdayName(weekday))]
            for hour in 0..<24 {
                row.append(.figure(.count("hours.count", count(weekday: weekday, hour: hour),
                                          keys: day + [(name: "hour", value: String(hour))])))
            }
            row.append(.figure(.count("hours.by_weekday", byWeekday.indices.contains(weekday) ? byWeekday[weekday] : 0, keys: day)))
            table.add(row)
        }
        let byHour = report.byHour
        table.footer = [[.heading("Total")]
            + (0..<24).map { hour in .figure(.count("hours.by_hour", byHour.indices.contains(hour) ? byHour[hour] : 0,
                                                    keys: [(name: "hour", value: String(hour))])) }
            + [.text(String(report.messages))]]

        let counts = (0..<7).map { weekday in (0..<24).map { count(weekday: weekday, hour: $0) } }
        let chart = HeatMapChart(
            name: "hours", title: "Messages by weekday and hour, \(report.from) to \(report.to)",
            rowLabels: (0..<7).map(Self.weekdayName), columnLabels: (0..<24).map(String.init), counts: counts,
            tooltips: (0..<7).map { weekday in
                (0..<24).map { hour in "\(Self.weekdayName(weekday)) \(hour):00–\(hour):59: \(counts[weekday][hour]) messages" }
            },
            unit: "messages")
        return HTMLSectionFrame(summary: summary, chart: chart.svg(), table: table)
    }
}
