import QunStore

/// One report on the page. Each is drawn by its own section type; this is the list the page
/// is made of, in the order given.
enum HTMLSection {
    case pyramid(PyramidReport)
    case leaderboard(LeaderboardReport)
    case churn(ChurnReport)
    case growth(GrowthReport)
    case hours(HoursReport)
    case quiet(QuietReport)
    case events(EventReport)

    /// The section's `id` and its chart's `data-chart`: the report's name, as in `qun report
    /// NAME`.
    var name: String {
        switch self {
        case .pyramid: return "pyramid"
        // Two boards can share a page (`report all`): the one by messages has a name of its own.
        case .leaderboard(let report): return report.ranking == .messages ? "leaderboard_messages" : "leaderboard"
        case .churn: return "churn"
        case .growth: return "growth"
        case .hours: return "hours"
        case .quiet: return "quiet"
        case .events: return "events"
        }
    }

    /// The heading, English first as in the rest of qun, then the word operators use.
    var heading: (text: String, chinese: String) {
        switch self {
        case .pyramid: return ("Member pyramid", "社群金字塔")
        case .leaderboard(let report):
            return report.ranking == .messages ? ("Chattiest members", "话痨榜") : ("Leaderboard", "活跃榜")
        case .churn: return ("Churn by month", "流失")
        case .growth: return ("Growth by week", "增长")
        case .hours: return ("Active hours", "活跃时间")
        case .quiet: return ("Gone quiet", "潜水")
        case .events: return ("Event turnout", "活动数据")
        }
    }

    func render() -> String {
        let frame: HTMLSectionFrame
        switch self {
        case .pyramid(let report): frame = PyramidSection(report: report).frame
        case .leaderboard(let report): frame = LeaderboardSection(report: report).frame
        case .churn(let report): frame = ChurnSection(report: report).frame
        case .growth(let report): frame = GrowthSection(report: report).frame
        case .hours(let report): frame = HoursSection(report: report).frame
        case .quiet(let report): frame = QuietSection(report: report).frame
        case .events(let report): frame = EventsSection(report: report).frame
        }
        return frame.render(id: name, heading: heading)
    }
}

/// What every section is made of: a summary line, the chart (or a note saying there is
/// nothing to chart yet), and the table of the same figures.
///
/// An empty report shows a note instead of a chart of nothing. Its table stays whenever the
/// report has rows to list (months, weeks of zeros are figures too); a list report with no
/// one in it has no table.
struct HTMLSectionFrame {
    /// HTML: text escaped, figures as `HTMLFigure` spans.
    var summary: String
    var chart: String?
    /// Replaces the chart when there is no data; also said when `chart` is nil.
    var emptyNote: String?
    var table: HTMLTable?
    /// Anything after the table (a second, smaller table), HTML.
    var extra: String = ""

    func render(id: String, heading: (text: String, chinese: String)) -> String {
        var out = "<section id=\"\(HTMLDocument.escape(id))\" data-section=\"\(HTMLDocument.escape(id))\">\n"
        out += "<h2>\(HTMLDocument.escape(heading.text))<span class=\"zh\" lang=\"zh-CN\">\(HTMLDocument.escape(heading.chinese))</span></h2>\n"
        if !summary.isEmpty { out += "<p class=\"summary\">\(summary)</p>\n" }
        if let chart {
            out += chart
        } else {
            out += "<p class=\"empty\" data-empty=\"\(HTMLDocument.escape(id))\">\(HTMLDocument.escape(emptyNote ?? "No data yet."))</p>\n"
        }
        if let table { out += table.render() }
        out += extra
        out += "</section>\n"
        return out
    }
}
