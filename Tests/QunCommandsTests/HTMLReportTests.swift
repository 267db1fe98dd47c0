import Foundation
@testable import QunCommands
@testable import QunStore
import XCTest

final class HTMLReportTests: XCTestCase {
    typealias F = HTMLReportFixtures

    private func figure(_ metric: String, _ keys: [String: String] = [:], in html: String,
                        file: StaticString = #filePath, line: UInt = #line) -> MarkedFigure? {
        let found = MarkedFigure.find(metric, keys, in: MarkedFigure.all(in: html))
        XCTAssertNotNil(found, "one figure \(metric) \(keys)", file: file, line: line)
        return found
    }

    func testEscapesMemberNamesAndTitles() {
        let html = F.full.render()
        XCTAssertFalse(html.contains("<script"), "a member's name must not become a script")
        XCTAssertFalse(html.contains("<b>线下</b>"))
        XCTAssertFalse(html.contains(F.hostileName))
        XCTAssertTrue(html.contains("<td>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;李&quot;</td>"))
        XCTAssertTrue(html.contains("<td>&lt;b&gt;线下&lt;/b&gt; &amp; 茶话会</td>"))
        // In the charts too: bar labels and tooltips.
        XCTAssertTrue(html.contains(">#2 &lt;script&gt;alert(1)&lt;/script&gt; &amp;"))
        XCTAssertTrue(html.contains("<title>#2 &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;李&quot; (W4XE-1) · score: 3.50</title>"))
        XCTAssertEqual(HTMLDocument.escape("a<b>&\"'c\u{01}"), "a&lt;b&gt;&amp;&quot;&#39;c\u{FFFD}")
    }

    func testEverySectionHasItsChartWithTitleAndViewBox() {
        let html = F.full.render()
        for name in F.chartNames {
            XCTAssertEqual(html.components(separatedBy: "<section id=\"\(name)\"").count - 1, 1, name)
            XCTAssertEqual(html.components(separatedBy: "data-chart=\"\(name)\"").count - 1, 1, name)
        }
        let svgs = html.components(separatedBy: "<svg ").dropFirst()
        XCTAssertEqual(svgs.count, F.chartNames.count)
        for svg in svgs {
            XCTAssertTrue(svg.hasPrefix("class=\"chart\" data-chart=\""), String(svg.prefix(80)))
            XCTAssertTrue(svg.contains(" viewBox=\"0 0 960 "), String(svg.prefix(200)))
            XCTAssertTrue(svg.range(of: "><title id=\"chart-")!.lowerBound < svg.range(of: "<rect")!.lowerBound)
        }
        XCTAssertTrue(html.contains("<h1>读书会 · community report</h1>"))
        XCTAssertTrue(html.contains("<title>读书会 · community report</title>"))
        XCTAssertTrue(html.contains("As of 2024-05-31 (Fri)"))
    }

    func testPyramidFigures() {
        let html = F.full.render()
        XCTAssertEqual(figure("pyramid.kol.count", in: html)?.value, "1")
        XCTAssertEqual(figure("pyramid.kol.share", in: html)?.value, "0.025")
        XCTAssertEqual(figure("pyramid.kol.share", in: html)?.text, "2.5%")
        XCTAssertEqual(figure("pyramid.kol.guide", in: html)?.value, "0.05")
        XCTAssertEqual(figure("pyramid.kol.verdict", in: html)?.value, "below")
        XCTAssertEqual(figure("pyramid.kol.verdict", in: html)?.text, "KOL 2.5% below the 5% guide")
        XCTAssertEqual(figure("pyramid.core.count", in: html)?.value, "9")
        XCTAssertEqual(figure("pyramid.core.share", in: html)?.value, "0.225")
        XCTAssertEqual(figure("pyramid.member.count", in: html)?.value, "30")
        XCTAssertEqual(figure("pyramid.member.share", in: html)?.value, "0.75")
        XCTAssertEqual(figure("pyramid.total", in: html)?.value, "40")
        XCTAssertEqual(figure("pyramid.admins", in: html)?.value, "3")
        XCTAssertEqual(figure("pyramid.unclassified", in: html)?.value, "2")
    }

    func testLeaderboardFiguresAreTheJSONValues() throws {
        let html = F.full.render()
        let zhang = ["member": F.zhang.id], hostile = ["member": F.hostile.id], wang = ["member": F.wang.id]
        XCTAssertEqual(figure("leaderboard.rank", zhang, in: html)?.value, "1")
        XCTAssertEqual(figure("leaderboard.score", zhang, in: html)?.value, "12.3457")
        XCTAssertEqual(figure("leaderboard.score", zhang, in: html)?.text, "12.35")
        XCTAssertEqual(figure("leaderboard.messages", zhang, in: html)?.value, "40")
        XCTAssertEqual(figure("leaderboard.contributions", zhang, in: html)?.value, "9")
        XCTAssertEqual(figure("leaderboard.rank", hostile, in: html)?.value, "2")
        XCTAssertEqual(figure("leaderboard.score", hostile, in: html)?.value, "3.5")
        XCTAssertEqual(figure("leaderboard.messages", hostile, in: html)?.value, "120")
        XCTAssertEqual(figure("leaderboard.score", wang, in: html)?.value, "0.3333")
        XCTAssertEqual(figure("leaderboard.scored", in: html)?.value, "7")
        XCTAssertEqual(figure("leaderboard.month", in: html)?.value, "2024-05")

        // The same bytes as `--json` prints for each score.
        let json = ReportJSON.leaderboard(F.leaderboard, top: 10).compact
        for entry in F.leaderboard.entries {
            let value = try XCTUnwrap(figure("leaderboard.score", ["member": entry.member.id], in: html)?.value)
            XCTAssertTrue(json.contains("\"score\":\(value)"), "\(value) in \(json)")
        }
    }

    func testLeaderboardByMessagesDrawsMessages() {
        var report = F.leaderboard
        report.ranking = .messages
        let html = HTMLReport(title: "t", reference: F.reference, sections: [.leaderboard(report)]).render()
        XCTAssertTrue(html.contains("Chattiest members"))
        XCTAssertTrue(html.contains("话痨榜"))
        XCTAssertTrue(html.contains("·\u{20}messages: 120</title>"), "bars are messages")
    }

    func testChurnAndGrowthFigures() {
        let html = F.full.render()
        XCTAssertEqual(figure("churn.joined", ["month": "2024-04"], in: html)?.value, "8")
        XCTAssertEqual(figure("churn.quiet", ["month": "2024-04"], in: html)?.value, "2")
        XCTAssertEqual(figure("churn.left", ["month": "2024-05"], in: html)?.value, "2")
        XCTAssertEqual(MarkedFigure.all(in: html).filter { $0.metric.hasPrefix("churn.") }.count, 9)
        XCTAssertEqual(figure("growth.joined", ["week": "2024-05-13"], in: html)?.value, "4")
        XCTAssertEqual(figure("growth.left", ["week": "2024-05-27"], in: html)?.value, "2")
        XCTAssertEqual(figure("growth.active", ["week": "2024-05-13"], in: html)?.value, "17")
        XCTAssertEqual(figure("growth.messages", ["week": "2024-05-06"], in: html)?.value, "230")
        XCTAssertEqual(MarkedFigure.all(in: html).filter { $0.metric.hasPrefix("growth.") }.count, 16)
    }

    func testHoursHeatMapAndFigures() {
        let html = F.full.render()
        XCTAssertEqual(figure("hours.count", ["weekday": "0", "hour": "20"], in: html)?.value, "12")
        XCTAssertEqual(figure("hours.count", ["weekday": "6", "hour": "9"], in: html)?.value, "3")
        XCTAssertEqual(figure("hours.count", ["weekday": "3", "hour": "2"], in: html)?.value, "0")
        XCTAssertEqual(MarkedFigure.all(in: html).filter { $0.metric == "hours.count" }.count, 168)
        XCTAssertEqual(figure("hours.by_weekday", ["weekday": "0"], in: html)?.value, String(F.hours.byWeekday[0]))
        XCTAssertEqual(figure("hours.by_hour", ["hour": "20"], in: html)?.value, String(F.hours.byHour[20]))
        XCTAssertEqual(figure("hours.messages", in: html)?.value, String(F.hours.messages))
        XCTAssertEqual(figure("hours.from", in: html)?.value, "2024-05-01")

        let heat = html.components(separatedBy: "data-chart=\"hours\"")[1].components(separatedBy: "</svg>")[0]
        XCTAssertEqual(heat.components(separatedBy: " data-count=\"").count - 1, 168)
        // Empty slots are the lightest shade, the busiest the darkest, and each cell says its count.
        XCTAssertTrue(heat.contains("fill=\"#f1f4f8\" data-count=\"0\"><title>Wed 2:00–2:59: 0 messages</title>"))
        XCTAssertTrue(heat.contains("fill=\"#174a8b\" data-count=\"12\"><title>Mon 20:00–20:59: 12 messages</title>"))
        // Monday first, every hour labelled.
        XCTAssertLessThan(heat.range(of: ">Mon</text>")!.lowerBound, heat.range(of: ">Sun</text>")!.lowerBound)
        for hour in 0..<24 { XCTAssertTrue(heat.contains("class=\"tick\">\(hour)</text>"), "hour \(hour)") }
        XCTAssertEqual(HeatMapChart.shade(0, maximum: 12), "#f1f4f8")
        XCTAssertNotEqual(HeatMapChart.shade(1, maximum: 12), HeatMapChart.shade(0, maximum: 12))
    }

    func testQuietFigures() {
        let html = F.full.render()
        XCTAssertEqual(figure("quiet.days_quiet", ["member": F.hostile.id], in: html)?.value, "90")
        XCTAssertEqual(figure("quiet.last_seen", ["member": F.hostile.id], in: html)?.value, "2024-03-02")
        XCTAssertEqual(figure("quiet.source", ["member": F.wang.id], in: html)?.value, "joined")
        XCTAssertEqual(figure("quiet.days_quiet", ["member": F.li.id], in: html)?.value, "null")
        XCTAssertEqual(figure("quiet.last_seen", ["member": F.li.id], in: html)?.text, "never")
        XCTAssertEqual(figure("quiet.considered", in: html)?.value, "42")
        XCTAssertEqual(figure("quiet.days", in: html)?.value, "30")
    }

    func testEventFiguresAreTheJSONValues() {
        let html = F.full.render()
        let first = ["event": "e0000000000000000000000000000001"], second = ["event": "e0000000000000000000000000000002"]
        let third = ["event": "e0000000000000000000000000000003"]
        XCTAssertEqual(figure("events.target", first, in: html)?.value, "20")
        XCTAssertEqual(figure("events.signups", first, in: html)?.value, "15")
        XCTAssertEqual(figure("events.attendance", first, in: html)?.value, "12")
        XCTAssertEqual(figure("events.fill_rate", first, in: html)?.value, "0.75")
        XCTAssertEqual(figure("events.fill_rate", first, in: html)?.text, "75.0%")
        XCTAssertEqual(figure("events.show_up_rate", first, in: html)?.value, "0.8")
        XCTAssertEqual(figure("events.fill_rate", second, in: html)?.value, "1.0333")
        XCTAssertEqual(figure("events.show_up_rate", second, in: html)?.value, "0.0")
        XCTAssertEqual(figure("events.target", third, in: html)?.value, "null")
        XCTAssertEqual(figure("events.fill_rate", third, in: html)?.value, "null")
        XCTAssertEqual(figure("events.fill_rate", third, in: html)?.text, "-")
        XCTAssertTrue(ReportJSON.events(F.events).compact.contains("\"fill_rate\":1.0333"))
        XCTAssertTrue(ReportJSON.events(F.events).compact.contains("\"show_up_rate\":0.0"))
    }

    func testSelfContainedAndPrintable() {
        let html = F.full.render()
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">"))
        for forbidden in ["<script", "http://", "https://", "<link", "@import", "url(", "<img", "<iframe", "javascript:", " on", "NaN", "inf"] {
            if forbidden == " on" {
                XCTAssertNil(html.range(of: #" on[a-z]+="#, options: .regularExpression), "no event handler attributes")
            } else {
                XCTAssertFalse(html.contains(forbidden), forbidden)
            }
        }
        XCTAssertTrue(html.contains(#"font-family: "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Hiragino Sans GB","#))
        XCTAssertTrue(html.contains(#""Microsoft YaHei""#))
        XCTAssertTrue(html.contains("sans-serif;"))
        XCTAssertTrue(html.contains("@media print {"))
        XCTAssertEqual(html, F.full.render(), "the same reports give the same bytes")
    }

    func testEmptyReportsSayNoDataYet() {
        let html = F.empty.render()
        XCTAssertFalse(html.contains("<svg"), "no chart of nothing")
        for name in F.chartNames {
            XCTAssertTrue(html.contains("<p class=\"empty\" data-empty=\"\(name)\">"), name)
        }
        XCTAssertTrue(html.contains("No members yet: add or import members to see the pyramid."))
        XCTAssertTrue(html.contains("No messages yet: import a chat export"))
        XCTAssertTrue(html.contains("No events yet."))
        XCTAssertFalse(html.contains("NaN"))
        // Figures that are there are still marked: an empty store's zeros are its figures.
        XCTAssertEqual(figure("pyramid.total", in: html)?.value, "0")
        XCTAssertEqual(figure("pyramid.kol.share", in: html)?.value, "0.0")
        XCTAssertEqual(figure("churn.joined", ["month": "2024-05"], in: html)?.value, "0")
        XCTAssertEqual(figure("growth.messages", ["week": "2024-05-27"], in: html)?.value, "0")
        XCTAssertEqual(figure("hours.messages", in: html)?.value, "0")
        XCTAssertEqual(figure("leaderboard.scored", in: html)?.value, "0")
    }

    func testWritesTheRenderedPage() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("qun-html-\(UUID().uuidString).html")
        defer { try? FileManager.default.removeItem(at: url) }
        try F.full.write(to: url)
        XCTAssertEqual(try Data(contentsOf: url), Data(F.full.render().utf8))
    }

    func testChartScales() {
        XCTAssertEqual(SVGScale.niceCeiling(7), 10)
        XCTAssertEqual(SVGScale.niceCeiling(12), 20)
        XCTAssertEqual(SVGScale.niceCeiling(0.3), 0.5)
        XCTAssertEqual(SVGScale.niceCeiling(0), 1)
        XCTAssertEqual(SVGScale.ticks(top: 10), [0, 2, 4, 6, 8, 10])
        XCTAssertEqual(SVGCanvas.number(12.345), "12.3")
        XCTAssertEqual(SVGCanvas.number(-0.04), "0")
        XCTAssertEqual(SVGCanvas.number(3), "3")
    }
}
