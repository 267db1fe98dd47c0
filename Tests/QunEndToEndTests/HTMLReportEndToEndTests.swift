import Foundation
import QunTestSupport
import XCTest

/// `qun report all --html FILE` opened in a real browser (headless Chromium): the page
/// renders, every chart is on it, a screenshot is taken, and every figure marked in the page
/// equals the same report's `--json`.
final class HTMLReportEndToEndTests: QunTestCase {
    func testTheReportPageRendersInABrowserWithTheFiguresOfTheJSON() throws {
        let found = HeadlessBrowser.find()
        guard let browser = found.browser else { throw XCTSkip("no headless browser: \(found.reason)") }
        let store = initStore("a", operator: "林晓")
        qun(["team", "set", "group", "读书会"], store: store)
        addMember("王芳", ["--wechat", "wxid_wangfang", "--joined", "2023-12-20", "--role", "kol"], store: store)
        addMember("赵六", ["--joined", "2024-01-02", "--role", "core"], store: store)
        addMember("陈七 <b>&", ["--joined", "2023-11-01"], store: store)
        let event = qun(["event", "add", "读书会线下见面", "--kind", "offline", "--start", "2024-01-06T14:00", "--target", "10"],
                        store: store).trimmingCharacters(in: .whitespacesAndNewlines)
        qun(["event", "signup", event, "王芳", "赵六"], store: store)
        qun(["event", "attend", event, "王芳"], store: store)
        let csv = path("群聊.csv")
        try Data(ChatEndToEndTests.wechatCSV.utf8).write(to: csv)
        qun(["import", "chat", csv.path], store: store)

        let page = path("报告.html")
        let arguments = ["report", "all", "--html", page.path, "--today", "2024-01-10", "--month", "2024-01", "--quiet-days", "7", "--json"]
        let json = try XCTUnwrap(jsonObject(qun(arguments, store: store)))
        let html = try String(contentsOf: page, encoding: .utf8)
        XCTAssertFalse(html.contains("<script"), "the page needs no script")
        XCTAssertFalse(html.contains("http://") || html.contains("https://"), "the page fetches nothing")
        XCTAssertTrue(html.contains("陈七 &lt;b&gt;&amp;"), "names are escaped")

        let dom = try browser.dumpDOM(of: page)
        for chart in ["pyramid", "leaderboard", "leaderboard_messages", "growth", "churn", "hours", "quiet", "events"] {
            XCTAssertTrue(dom.contains("data-chart=\"\(chart)\""), "chart \(chart) missing from the rendered page")
        }
        XCTAssertTrue(dom.contains("读书会 · 社群数据报告"), "the title, in Chinese")
        let sections = Self.sections(dom)

        // Hours: every cell of the heat-map is the JSON grid's.
        let hours = try XCTUnwrap(json["hours"] as? [String: Any])
        let grid = try XCTUnwrap(hours["grid"] as? [[Int]])
        let hourFigures = Self.figures(sections["hours"] ?? "")
        for weekday in 0..<7 {
            for hour in 0..<24 {
                XCTAssertEqual(Self.value("hours.count", ["weekday": "\(weekday)", "hour": "\(hour)"], hourFigures), "\(grid[weekday][hour])",
                               "hours cell \(weekday) \(hour)")
            }
        }
        XCTAssertEqual(Self.value("hours.messages", [:], hourFigures), "4")

        // Leaderboards, growth, quiet, pyramid and events, figure by figure.
        for board in ["leaderboard", "leaderboard_messages"] {
            let entries = try XCTUnwrap((json[board] as? [String: Any])?["entries"] as? [[String: Any]])
            XCTAssertFalse(entries.isEmpty)
            let figures = Self.figures(sections[board] ?? "")
            for entry in entries {
                let keys = ["member": try XCTUnwrap(stringField(entry, "id"))]
                XCTAssertEqual(Self.value("leaderboard.rank", keys, figures), "\(entry["rank"]!)")
                XCTAssertEqual(Self.value("leaderboard.messages", keys, figures), "\(entry["messages"]!)")
                XCTAssertEqual(Self.value("leaderboard.score", keys, figures).flatMap(Double.init), entry["score"] as? Double)
            }
        }
        let weeks = try XCTUnwrap((json["growth"] as? [String: Any])?["weeks"] as? [[String: Any]])
        let growthFigures = Self.figures(sections["growth"] ?? "")
        for week in weeks {
            let keys = ["week": try XCTUnwrap(stringField(week, "week"))]
            for key in ["joined", "left", "active", "messages"] {
                XCTAssertEqual(Self.value("growth.\(key)", keys, growthFigures), "\(week[key]!)", "growth \(key) \(keys)")
            }
        }
        let quiet = try XCTUnwrap((json["quiet"] as? [String: Any])?["members"] as? [[String: Any]])
        XCTAssertEqual(quiet.count, 2, "陈七 and 赵六: 王芳 came to the event on the 6th")
        let quietFigures = Self.figures(sections["quiet"] ?? "")
        for member in quiet {
            let keys = ["member": try XCTUnwrap(stringField(member, "id"))]
            XCTAssertEqual(Self.value("quiet.days_quiet", keys, quietFigures), "\(member["days_quiet"]!)")
        }
        let levels = try XCTUnwrap((json["pyramid"] as? [String: Any])?["levels"] as? [[String: Any]])
        let pyramidFigures = Self.figures(sections["pyramid"] ?? "")
        for level in levels {
            let role = try XCTUnwrap(stringField(level, "role"))
            XCTAssertEqual(Self.value("pyramid.\(role).count", [:], pyramidFigures), "\(level["count"]!)", "pyramid \(role)")
        }
        let events = try XCTUnwrap((json["events"] as? [String: Any])?["events"] as? [[String: Any]])
        let eventFigures = Self.figures(sections["events"] ?? "")
        XCTAssertEqual(events.count, 1)
        for row in events {
            let keys = ["event": try XCTUnwrap(stringField(row, "id"))]
            XCTAssertEqual(Self.value("events.signups", keys, eventFigures), "2")
            XCTAssertEqual(Self.value("events.attendance", keys, eventFigures), "1")
            XCTAssertEqual(Self.value("events.fill_rate", keys, eventFigures).flatMap(Double.init), row["fill_rate"] as? Double)
        }

        let shot = path("报告.png")
        try browser.screenshot(of: page, to: shot)
        let png = try Data(contentsOf: shot)
        XCTAssertEqual(HeadlessBrowser.pngSize(png)?.width, 1200)
        XCTAssertGreaterThan(png.count, 60_000, "a blank page would be a few kilobytes")
    }

    /// The HTML of each `<section id="NAME">`, by name.
    static func sections(_ dom: String) -> [String: String] {
        var result: [String: String] = [:]
        let parts = dom.components(separatedBy: "<section ")
        for part in parts.dropFirst() {
            guard let start = part.range(of: "id=\""), let end = part[start.upperBound...].firstIndex(of: "\"") else { continue }
            result[String(part[start.upperBound..<end])] = part.components(separatedBy: "</section>").first ?? part
        }
        return result
    }

    struct Figure {
        var metric: String
        var attributes: [String: String]
    }

    /// Every element with a `data-metric`, with its `data-` attributes.
    static func figures(_ html: String) -> [Figure] {
        let element = try! NSRegularExpression(pattern: #"<(?:td|span|th)\b([^>]*\bdata-metric="[^"]*"[^>]*)>"#)
        let attribute = try! NSRegularExpression(pattern: #"\bdata-([a-z_-]+)="([^"]*)""#)
        let text = html as NSString
        return element.matches(in: html, range: NSRange(location: 0, length: text.length)).map { match in
            let inside = text.substring(with: match.range(at: 1)) as NSString
            var attributes: [String: String] = [:]
            for pair in attribute.matches(in: inside as String, range: NSRange(location: 0, length: inside.length)) {
                attributes[inside.substring(with: pair.range(at: 1))] = inside.substring(with: pair.range(at: 2))
            }
            return Figure(metric: attributes.removeValue(forKey: "metric") ?? "", attributes: attributes)
        }
    }

    /// The `data-value` of the one figure `metric` with these row attributes.
    static func value(_ metric: String, _ keys: [String: String], _ figures: [Figure]) -> String? {
        let found = figures.filter { figure in figure.metric == metric && keys.allSatisfy { figure.attributes[$0.key] == $0.value } }
        return found.count == 1 ? found[0].attributes["value"] : nil
    }
}
