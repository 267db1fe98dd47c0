import Foundation
@testable import QunCommands
import QunTestSupport
import XCTest

/// The HTML report as a browser sees it: parsed into the charts and figures the renderer
/// meant, and drawn as a page rather than a blank one. `QUN_KEEP_HTML=DIR` keeps the page,
/// the screenshot and the DOM in DIR for looking at.
final class HTMLReportBrowserTests: XCTestCase {
    typealias F = HTMLReportFixtures

    private func browser() throws -> HeadlessBrowser {
        let (browser, reason) = HeadlessBrowser.find()
        guard let browser else {
            print("HTMLReportBrowserTests skipped: \(reason)")
            throw XCTSkip(reason)
        }
        return browser
    }

    private func workDirectory() throws -> (URL, keep: Bool) {
        if let kept = ProcessInfo.processInfo.environment["QUN_KEEP_HTML"], !kept.isEmpty {
            let url = URL(fileURLWithPath: kept, isDirectory: true)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            return (url, true)
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("qun-html-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return (url, false)
    }

    func testChromiumSeesEveryChartAndFigure() throws {
        let browser = try browser()
        let (directory, keep) = try workDirectory()
        defer { if !keep { try? FileManager.default.removeItem(at: directory) } }
        let page = directory.appendingPathComponent("report.html")
        try F.full.write(to: page)

        let dom = try browser.dumpDOM(of: page)
        if keep { try Data(dom.utf8).write(to: directory.appendingPathComponent("dom.html")) }
        for name in F.chartNames {
            XCTAssertTrue(dom.contains("data-chart=\"\(name)\""), "chart \(name) in the DOM")
        }
        // The parser kept the hostile name as text: no script element, the name in a cell.
        XCTAssertFalse(dom.contains("<script"))
        XCTAssertTrue(dom.contains("<td>&lt;script&gt;alert(1)&lt;/script&gt; &amp; \"李\"</td>")
                      || dom.contains("<td>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;李&quot;</td>"), "hostile name as text")
        XCTAssertTrue(dom.contains("<td>张三</td>"))

        // Every figure the renderer marked reaches the DOM unchanged.
        let rendered = MarkedFigure.all(in: F.full.render())
        let parsed = MarkedFigure.all(in: dom)
        XCTAssertEqual(parsed.count, rendered.count)
        XCTAssertEqual(parsed, rendered)
        XCTAssertEqual(MarkedFigure.find("leaderboard.score", ["member": F.zhang.id], in: parsed)?.value, "12.3457")
        XCTAssertEqual(MarkedFigure.find("hours.count", ["weekday": "0", "hour": "20"], in: parsed)?.value, "12")
        XCTAssertEqual(MarkedFigure.find("events.signups", ["event": "e0000000000000000000000000000001"], in: parsed)?.value, "15")
        XCTAssertEqual(MarkedFigure.find("pyramid.kol.count", in: parsed)?.value, "1")
        XCTAssertEqual(MarkedFigure.find("growth.joined", ["week": "2024-05-13"], in: parsed)?.value, "4")

        if let families = HeadlessBrowser.fontFamilies(forLanguage: "zh") {
            XCTAssertTrue(families.contains { $0.contains("CJK") || $0.contains(" SC") },
                          "no Chinese font installed (fonts-noto-cjk): names would be drawn as boxes; fontconfig has \(families)")
        }
        let png = directory.appendingPathComponent("report.png")
        do {
            try browser.screenshot(of: page, to: png, width: 1200, height: 2400)
        } catch let failure as HeadlessBrowser.Failure {
            XCTFail(failure.description)
            return
        }
        let image = try Data(contentsOf: png)
        let size = try XCTUnwrap(HeadlessBrowser.pngSize(image), "a PNG")
        XCTAssertEqual(size.width, 1200)
        XCTAssertEqual(size.height, 2400)
        // A blank 1200×2400 page compresses to a few kilobytes; text and charts do not.
        XCTAssertGreaterThan(image.count, 60_000, "screenshot of \(image.count) bytes looks blank")
        if keep { print("HTML report, DOM and screenshot kept in \(directory.path)") }
    }

    func testChromiumShowsTheEmptyReportsNotes() throws {
        let browser = try browser()
        let (directory, keep) = try workDirectory()
        defer { if !keep { try? FileManager.default.removeItem(at: directory) } }
        let page = directory.appendingPathComponent("empty.html")
        try F.empty.write(to: page)
        let dom = try browser.dumpDOM(of: page)
        XCTAssertFalse(dom.contains("<svg"))
        for name in F.chartNames {
            XCTAssertTrue(dom.contains("<p class=\"empty\" data-empty=\"\(name)\">"), name)
        }
        if keep { try browser.screenshot(of: page, to: directory.appendingPathComponent("empty.png"), width: 1200, height: 2400) }
    }

    func testPNGSizeReadsTheHeader() {
        var header = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13])
        header.append(contentsOf: Array("IHDR".utf8))
        header.append(contentsOf: [0, 0, 0x04, 0xB0, 0, 0, 0x09, 0x60])
        XCTAssertEqual(HeadlessBrowser.pngSize(header)?.width, 1200)
        XCTAssertEqual(HeadlessBrowser.pngSize(header)?.height, 2400)
        XCTAssertNil(HeadlessBrowser.pngSize(Data("not a png at all, not at all".utf8)))
    }
}
