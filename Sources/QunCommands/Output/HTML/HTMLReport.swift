import Foundation
import QunStore

/// A self-contained HTML page of reports, with SVG charts, for sending to a team lead: `qun
/// report ... --html FILE`.
///
/// The page needs nothing but a browser: no network, no script, no font or image files; it
/// prints one chart per page at most. Every figure it shows is also marked for programs (see
/// `HTMLFigure` for the `data-metric` / `data-value` convention, `HTMLSection.name` for the
/// `data-chart` names), so that a test can hold the page to the `--json` reports.
///
/// The same reports give the same bytes: nothing on the page depends on when or where it was
/// rendered.
struct HTMLReport {
    /// e.g. `读书会 · community report`.
    var title: String
    /// The day the reports are as of.
    var reference: CalendarDay
    var sections: [HTMLSection]

    init(title: String, reference: CalendarDay, sections: [HTMLSection]) {
        self.title = title
        self.reference = reference
        self.sections = sections
    }

    func render() -> String {
        let subtitle = "As of \(reference) (\(HoursSection.weekdayName(reference.weekday - 1))) · \(sections.count) report\(sections.count == 1 ? "" : "s") · made by qun"
        let body = sections.map { $0.render() }.joined()
        let navigation = sections.map { (id: $0.name, label: "\($0.heading.text) \($0.heading.chinese)") }
        return HTMLDocument.page(title: title, subtitle: subtitle, navigation: navigation, body: body)
    }

    /// Writes the page as UTF-8, replacing `url` whole (a half-written report is never left
    /// for someone to send).
    func write(to url: URL) throws {
        try Data(render().utf8).write(to: url, options: .atomic)
    }
}
