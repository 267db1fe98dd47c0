import QunStore

/// The month's leaderboard: the members ranked, the bar being whatever the board ranks by
/// (the activity score, or messages for the 话痨榜), so that the longest bar is rank 1.
struct LeaderboardSection {
    var report: LeaderboardReport

    static func memberLabel(_ member: Member) -> String {
        member.number.map { "\(member.name) (\($0))" } ?? member.name
    }

    var frame: HTMLSectionFrame {
        let scored = HTMLFigure.count("leaderboard.scored", report.scored).element("span")
        let month = HTMLFigure.word("leaderboard.month", report.month.description).element("span")
        let reference = HTMLFigure.word("leaderboard.reference", report.reference.description).element("span")
        let ranking = report.ranking == .messages ? "chat messages in the month" : "activity score, decayed to \(reference)"
        let summary = "\(month): top \(report.entries.count) of \(scored) active members, ranked by \(ranking). Admins and members who left are not ranked."

        guard !report.entries.isEmpty else {
            return HTMLSectionFrame(summary: summary, chart: nil,
                                    emptyNote: "No activity in \(report.month) yet: nobody to rank.", table: nil)
        }
        var table = HTMLTable(columns: [
            .init("Rank", numeric: true), .init("No."), .init("Name"), .init("Role"),
            .init("Score", numeric: true), .init("Messages", numeric: true), .init("Items", numeric: true),
        ])
        for entry in report.entries {
            let keys = [(name: "member", value: entry.member.id)]
            table.add([
                .figure(.count("leaderboard.rank", entry.rank, keys: keys)),
                .text(entry.member.number ?? ""),
                .text(entry.member.name),
                .text(entry.member.role?.rawValue ?? ""),
                .figure(.real("leaderboard.score", entry.score, keys: keys, text: ReportFormat.score)),
                .figure(.count("leaderboard.messages", entry.messages, keys: keys)),
                .figure(.count("leaderboard.contributions", entry.contributions, keys: keys)),
            ])
        }
        let byMessages = report.ranking == .messages
        let rows = report.entries.map { entry in
            HorizontalBarChart.Row(
                label: "#\(entry.rank) \(Self.memberLabel(entry.member))",
                values: [byMessages ? Double(entry.messages) : entry.score],
                valueLabels: [byMessages ? String(entry.messages) : ReportFormat.score(entry.score)])
        }
        let chart = HorizontalBarChart(
            name: byMessages ? "leaderboard_messages" : "leaderboard", title: "Leaderboard \(report.month): \(byMessages ? "messages" : "activity score") by member",
            series: [SVGSeries(name: byMessages ? "messages" : "score", colour: byMessages ? SVGPalette.purple : SVGPalette.blue)],
            rows: rows)
        return HTMLSectionFrame(summary: summary, chart: chart.svg(), table: table)
    }
}
