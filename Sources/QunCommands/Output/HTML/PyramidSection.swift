import QunStore

/// The member pyramid: each level's share against its guide, with the band a share may stray
/// in and still be "within". Drawn as bars rather than a triangle, because the question an
/// operator asks is "how far from the guide", which a length answers and an area does not.
struct PyramidSection {
    var report: PyramidReport

    static func levelName(_ role: Member.Role) -> String {
        switch role {
        case .kol: return "KOL 意见领袖"
        case .core: return "Core 核心成员"
        case .member: return "Member 普通成员"
        case .admin: return "Admin 管理人员"
        }
    }

    var frame: HTMLSectionFrame {
        let total = HTMLFigure.count("pyramid.total", report.total).element("span")
        let admins = HTMLFigure.count("pyramid.admins", report.admins).element("span")
        let unclassified = HTMLFigure.count("pyramid.unclassified", report.unclassified).element("span")
        let summary = "\(total) members counted (left members excluded); \(admins) admins and \(unclassified) without a role are not part of the shares."

        var table = HTMLTable(columns: [
            .init("Level"), .init("Members", numeric: true), .init("Share", numeric: true),
            .init("Guide", numeric: true), .init("Verdict"),
        ])
        for level in report.levels {
            let role = level.role.rawValue
            let key = "pyramid.\(role)."
            table.add([
                .heading(Self.levelName(level.role)),
                .figure(.count(key + "count", level.count)),
                .figure(.real(key + "share", level.share, text: PyramidReport.percent)),
                .figure(.real(key + "guide", level.guide, text: PyramidReport.percent)),
                .figure(.word(key + "verdict", level.verdict.rawValue, text: level.verdictText)),
            ])
        }

        guard report.total > 0 else {
            let note = report.admins > 0
                ? "No members yet besides admins: no pyramid to draw."
                : "No members yet: add or import members to see the pyramid."
            return HTMLSectionFrame(summary: summary, chart: nil, emptyNote: note, table: table)
        }
        let rows = report.levels.map { level in
            HorizontalBarChart.Row(
                label: Self.levelName(level.role), values: [level.share],
                valueLabels: ["\(level.count) · \(PyramidReport.percent(level.share))"],
                marker: level.guide,
                band: level.guide * (1 - PyramidReport.tolerance)...level.guide * (1 + PyramidReport.tolerance),
                note: level.verdict.rawValue)
        }
        let chart = HorizontalBarChart(
            name: "pyramid", title: "Member pyramid: share of each level against its guide",
            series: [SVGSeries(name: "share", colour: SVGPalette.blue)], rows: rows, maximum: 1,
            tickLabel: { "\(Int(($0 * 100).rounded()))%" }, markerName: "guide", bandName: "within the guide (±25%)")
        return HTMLSectionFrame(summary: summary, chart: chart.svg(), table: table)
    }
}
