import Foundation
@testable import QunCommands
@testable import QunStore

/// Reports with known figures, and a reader for the figures a page marks (`HTMLFigure`), for
/// the HTML report's unit and browser tests.
enum HTMLReportFixtures {
    static let hostileName = "<script>alert(1)</script> & \"李\""
    static let reference = CalendarDay(year: 2024, month: 5, day: 31)!

    static func member(_ id: String, _ name: String, number: String? = nil, role: Member.Role? = .member) -> Member {
        Member(id: id, number: number, name: name, role: role, tags: [], logCount: 0, deleted: false)
    }

    static let hostile = member("a0000000000000000000000000000001", hostileName, number: "W4XE-1")
    static let zhang = member("a0000000000000000000000000000002", "张三", number: "W4XE-2", role: .core)
    static let wang = member("a0000000000000000000000000000003", "王小明", number: "W4XE-10")
    static let li = member("a0000000000000000000000000000004", "李四", role: .kol)

    static let pyramid = PyramidReport(levels: [
        .init(role: .kol, count: 1, share: 1.0 / 40, guide: 0.05, verdict: .below),
        .init(role: .core, count: 9, share: 9.0 / 40, guide: 0.20, verdict: .within),
        .init(role: .member, count: 30, share: 30.0 / 40, guide: 0.75, verdict: .within),
    ], admins: 3, unclassified: 2, total: 40)

    static let leaderboard = LeaderboardReport(
        month: ReportMonth(year: 2024, month: 5)!, ranking: .score, reference: reference,
        entries: [
            .init(rank: 1, member: zhang, score: 12.345678, contributions: 9, messages: 40),
            .init(rank: 2, member: hostile, score: 3.5, contributions: 4, messages: 120),
            .init(rank: 3, member: wang, score: 1.0 / 3, contributions: 1, messages: 0),
        ],
        scored: 7, formula: .standard)

    static let churn = ChurnReport(months: [
        .init(month: ReportMonth(year: 2024, month: 3)!, joined: 5, quiet: 1, left: 0),
        .init(month: ReportMonth(year: 2024, month: 4)!, joined: 8, quiet: 2, left: 1),
        .init(month: ReportMonth(year: 2024, month: 5)!, joined: 3, quiet: 0, left: 2),
    ])

    static let growth = GrowthReport(weeks: [
        .init(start: CalendarDay(year: 2024, month: 5, day: 6)!, joined: 2, left: 0, active: 14, messages: 230),
        .init(start: CalendarDay(year: 2024, month: 5, day: 13)!, joined: 4, left: 1, active: 17, messages: 310),
        .init(start: CalendarDay(year: 2024, month: 5, day: 20)!, joined: 1, left: 0, active: 12, messages: 150),
        .init(start: CalendarDay(year: 2024, month: 5, day: 27)!, joined: 0, left: 2, active: 9, messages: 80),
    ])

    /// Evenings busy, Monday 20:00 the busiest (12), Sunday 9:00 a little (3).
    static let hours: HoursReport = {
        var counts = Array(repeating: Array(repeating: 0, count: 24), count: 7)
        for weekday in 0..<7 {
            for hour in 19...22 { counts[weekday][hour] = 2 + weekday % 3 }
        }
        counts[0][20] = 12
        counts[6][9] = 3
        return HoursReport(from: CalendarDay(year: 2024, month: 5, day: 1)!, to: reference, counts: counts)
    }()

    static let quiet = QuietReport(days: 30, reference: reference, entries: [
        .init(member: li, lastSeen: nil, source: nil, daysQuiet: nil),
        .init(member: hostile, lastSeen: CalendarDay(year: 2024, month: 3, day: 2), source: .message, daysQuiet: 90),
        .init(member: wang, lastSeen: CalendarDay(year: 2024, month: 4, day: 15), source: .joined, daysQuiet: 46),
    ], considered: 42)

    static let events = EventReport(events: [
        .init(id: "e0000000000000000000000000000001", title: "读书会 · 五月共读", start: "2024-05-18T19:30", phase: .done,
              target: 20, signups: 15, attendance: 12, fillRate: 0.75, showUpRate: 0.8),
        .init(id: "e0000000000000000000000000000002", title: "<b>线下</b> & 茶话会", start: "2024-06-01", phase: .prep,
              target: 30, signups: 31, attendance: 0, fillRate: 31.0 / 30, showUpRate: 0),
        .init(id: "e0000000000000000000000000000003", title: "Open mic", start: nil, phase: .draft,
              target: nil, signups: 0, attendance: 0, fillRate: nil, showUpRate: nil),
    ])

    static var full: HTMLReport {
        HTMLReport(title: "读书会 · community report", reference: reference, sections: [
            .pyramid(pyramid), .leaderboard(leaderboard), .churn(churn), .growth(growth), .hours(hours),
            .quiet(quiet), .events(events),
        ])
    }

    static var empty: HTMLReport {
        HTMLReport(title: "新群 · community report", reference: reference, sections: [
            .pyramid(PyramidReport(levels: [
                .init(role: .kol, count: 0, share: 0, guide: 0.05, verdict: .below),
                .init(role: .core, count: 0, share: 0, guide: 0.20, verdict: .below),
                .init(role: .member, count: 0, share: 0, guide: 0.75, verdict: .below),
            ], admins: 0, unclassified: 0, total: 0)),
            .leaderboard(LeaderboardReport(month: ReportMonth(reference), ranking: .score, reference: reference, entries: [],
                                           scored: 0, formula: .standard)),
            .churn(ChurnReport(months: [.init(month: ReportMonth(reference), joined: 0, quiet: 0, left: 0)])),
            .growth(GrowthReport(weeks: [.init(start: CalendarDay(year: 2024, month: 5, day: 27)!, joined: 0, left: 0, active: 0, messages: 0)])),
            .hours(HoursReport(from: reference, to: reference, counts: Array(repeating: Array(repeating: 0, count: 24), count: 7))),
            .quiet(QuietReport(days: 30, reference: reference, entries: [], considered: 0)),
            .events(EventReport(events: [])),
        ])
    }

    static let chartNames = ["pyramid", "leaderboard", "churn", "growth", "hours", "quiet", "events"]
}

/// A figure as the page marks it: `data-metric`, the other `data-` attributes, `data-value`,
/// and the text people read.
struct MarkedFigure: Equatable {
    var metric: String
    var attributes: [String: String]
    var text: String
    var value: String? { attributes["value"] }

    /// Every element with a `data-metric` in `html` (the renderer's output or a browser's DOM).
    static func all(in html: String) -> [MarkedFigure] {
        let element = try! NSRegularExpression(pattern: #"<(td|span|th)\b([^>]*\bdata-metric="[^"]*"[^>]*)>([^<]*)<"#)
        let attribute = try! NSRegularExpression(pattern: #"\bdata-([a-z_-]+)="([^"]*)""#)
        let text = html as NSString
        return element.matches(in: html, range: NSRange(location: 0, length: text.length)).map { match in
            let attributesText = text.substring(with: match.range(at: 2))
            var attributes: [String: String] = [:]
            for pair in attribute.matches(in: attributesText, range: NSRange(location: 0, length: (attributesText as NSString).length)) {
                attributes[(attributesText as NSString).substring(with: pair.range(at: 1))] =
                    unescape((attributesText as NSString).substring(with: pair.range(at: 2)))
            }
            let metric = attributes.removeValue(forKey: "metric") ?? ""
            return MarkedFigure(metric: metric, attributes: attributes, text: unescape(text.substring(with: match.range(at: 3))))
        }
    }

    /// The one figure `metric` with these row attributes, or nil when there is none or more.
    static func find(_ metric: String, _ keys: [String: String] = [:], in figures: [MarkedFigure]) -> MarkedFigure? {
        let found = figures.filter { figure in
            figure.metric == metric && keys.allSatisfy { figure.attributes[$0.key] == $0.value }
        }
        return found.count == 1 ? found[0] : nil
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
