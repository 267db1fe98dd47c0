import Foundation
import QunCore
import QunStore
import QunStoreTestSupport
import XCTest

/// `event export --ics`: the text is parsed back here with a small reader written from
/// RFC 5545, independent of the writer.
final class EventCalendarTests: StoreTestCase {
    /// One content line: name, parameters, raw value.
    struct ContentLine: Equatable {
        var name: String
        var parameters: [String: String]
        var value: String
    }

    /// Checks the physical form (CRLF only, ≤ 75 octets a line, valid UTF-8 on every physical
    /// line) and returns the unfolded content lines.
    static func parse(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> [ContentLine] {
        var physical: [[UInt8]] = []
        var current: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 13 {
                XCTAssertTrue(index + 1 < bytes.count && bytes[index + 1] == 10, "a CR not followed by LF", file: file, line: line)
                physical.append(current)
                current = []
                index += 2
                continue
            }
            XCTAssertNotEqual(byte, 10, "a bare LF at byte \(index)", file: file, line: line)
            current.append(byte)
            index += 1
        }
        XCTAssertTrue(current.isEmpty, "the text must end with CRLF", file: file, line: line)
        var logical: [[UInt8]] = []
        for row in physical {
            XCTAssertLessThanOrEqual(row.count, 75, "line longer than 75 octets: \(String(decoding: row, as: UTF8.self))", file: file, line: line)
            XCTAssertNotNil(String(validatingUTF8: row.map { CChar(bitPattern: $0) } + [0]),
                            "a fold split a UTF-8 sequence: \(row)", file: file, line: line)
            if let first = row.first, first == 32 || first == 9, !logical.isEmpty {
                logical[logical.count - 1].append(contentsOf: row.dropFirst())
            } else {
                logical.append(row)
            }
        }
        return logical.map { row in
            let text = String(decoding: row, as: UTF8.self)
            // The value starts after the first colon outside a quoted parameter value.
            var inQuotes = false
            var colon = text.endIndex
            for position in text.indices {
                if text[position] == "\"" { inQuotes.toggle() }
                if text[position] == ":" && !inQuotes { colon = position; break }
            }
            let head = text[..<colon].split(separator: ";").map(String.init)
            var parameters: [String: String] = [:]
            for parameter in head.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map(String.init)
                parameters[pair[0]] = pair.count > 1 ? pair[1] : ""
            }
            let value = colon < text.endIndex ? String(text[text.index(after: colon)...]) : ""
            return ContentLine(name: head.first ?? "", parameters: parameters, value: value)
        }
    }

    /// TEXT unescaping (RFC 5545 §3.3.11).
    static func unescape(_ value: String) -> String {
        var out = ""
        var escaped = false
        for character in value {
            if escaped {
                switch character {
                case "n", "N": out.append("\n")
                default: out.append(character)
                }
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                out.append(character)
            }
        }
        return out
    }

    /// The content lines between `BEGIN:component` and its `END`, one array per component.
    static func components(_ lines: [ContentLine], _ component: String) -> [[ContentLine]] {
        var result: [[ContentLine]] = []
        var current: [ContentLine]?
        for line in lines {
            if line.name == "BEGIN" && line.value == component { current = []; continue }
            if line.name == "END" && line.value == component, let done = current { result.append(done); current = nil; continue }
            current?.append(line)
        }
        return result
    }

    private func value(_ lines: [ContentLine], _ name: String) -> ContentLine? {
        lines.first { $0.name == name }
    }

    func testExportParsesBackWithEscapingAndFolding() throws {
        let clock = TestClock()
        let store = try makeStore(now: clock.closure)
        var draft = EventDraft(title: "读书会线下见面；第一期, 《三体》共读 \\ 特别场 — 一个很长很长的标题用来测试折行是否会切断中文字符")
        draft.kind = "offline"
        draft.place = "晓书馆, 二楼; 靠窗"
        draft.city = "杭州"
        draft.start = "2026-12-12T14:00"
        draft.end = "2026-12-12T17:30"
        draft.purpose = "让线上的书友见面\n认识彼此"
        draft.target = "50"
        draft.rules = "实名报名，不带外人; 迟到 15 分钟视为缺席"
        draft.rewards = "签到送书签 🎁"
        let event = try store.addEvent(draft)
        var task = RunSheetDraft(title: "订场地", due: "-14d")
        task.owner = "林"
        task.priority = "H"
        let venue = try store.addRunSheetTask(event.id, task)
        let reminder = try store.addRunSheetTask(event.id, RunSheetDraft(title: "群内提醒", due: "-1dT20:00"))
        try store.setTaskStatus(reminder.id, .done)

        let text = try store.icalendar(event.id, timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        let lines = Self.parse(Array(text.utf8))
        XCTAssertEqual(lines.first, ContentLine(name: "BEGIN", parameters: [:], value: "VCALENDAR"))
        XCTAssertEqual(lines.last, ContentLine(name: "END", parameters: [:], value: "VCALENDAR"))
        let calendar = Self.components(lines, "VCALENDAR")[0]
        XCTAssertEqual(value(calendar, "VERSION")?.value, "2.0")
        XCTAssertFalse(value(calendar, "PRODID")?.value.isEmpty ?? true)

        let events = Self.components(lines, "VEVENT")
        XCTAssertEqual(events.count, 1)
        let vevent = events[0]
        XCTAssertEqual(value(vevent, "UID")?.value, "\(event.id)@qun")
        XCTAssertEqual(value(vevent, "DTSTAMP")?.value, "20240301T000000Z", "the store's clock, in UTC")
        XCTAssertEqual(value(vevent, "DTSTART")?.value, "20261212T060000Z", "14:00 in Shanghai is 06:00 UTC")
        XCTAssertEqual(value(vevent, "DTEND")?.value, "20261212T093000Z")
        XCTAssertEqual(value(vevent, "SUMMARY").map { Self.unescape($0.value) }, event.title)
        XCTAssertTrue(value(vevent, "SUMMARY")!.value.contains("；第一期\\, 《三体》共读 \\\\ 特别场"), "comma and backslash escaped")
        XCTAssertEqual(value(vevent, "LOCATION").map { Self.unescape($0.value) }, "晓书馆, 二楼; 靠窗, 杭州")
        XCTAssertTrue(value(vevent, "LOCATION")!.value.contains("晓书馆\\, 二楼\\; 靠窗"), value(vevent, "LOCATION")!.value)
        let description = Self.unescape(value(vevent, "DESCRIPTION")!.value)
        XCTAssertTrue(description.contains("让线上的书友见面\n认识彼此"), description)
        XCTAssertTrue(description.contains("50"), description)
        XCTAssertTrue(description.contains("实名报名，不带外人; 迟到 15 分钟视为缺席"), description)
        XCTAssertTrue(description.contains("签到送书签 🎁"), description)
        XCTAssertFalse(value(vevent, "DESCRIPTION")!.value.contains("\n"), "a newline is escaped as \\n")
        XCTAssertEqual(value(vevent, "STATUS")?.value, "TENTATIVE", "a draft")
        XCTAssertTrue(text.utf8.split(separator: 10).contains { $0.count > 40 && $0.first == 32 }, "the long title was folded")

        let todos = Self.components(lines, "VTODO")
        XCTAssertEqual(todos.map { value($0, "UID")?.value }, ["\(venue.id)@qun", "\(reminder.id)@qun"])
        XCTAssertEqual(value(todos[0], "DUE"), ContentLine(name: "DUE", parameters: ["VALUE": "DATE"], value: "20261128"))
        XCTAssertEqual(value(todos[0], "PRIORITY")?.value, "1")
        XCTAssertEqual(value(todos[0], "STATUS")?.value, "NEEDS-ACTION")
        XCTAssertEqual(value(todos[0], "RELATED-TO")?.value, "\(event.id)@qun")
        XCTAssertEqual(value(todos[1], "DUE")?.value, "20261211T120000Z")
        XCTAssertEqual(value(todos[1], "STATUS")?.value, "COMPLETED")
    }

    func testAllDayEventsUseDatesWithExclusiveEnd() throws {
        let store = try makeStore()
        var draft = EventDraft(title: "周末读书营")
        draft.start = "2026-12-31"
        draft.end = "2027-01-01"
        let event = try store.addEvent(draft)
        try store.moveEvent(event.id, to: .prep)
        let lines = Self.parse(Array(try store.icalendar(event.id).utf8))
        let vevent = Self.components(lines, "VEVENT")[0]
        XCTAssertEqual(value(vevent, "DTSTART"), ContentLine(name: "DTSTART", parameters: ["VALUE": "DATE"], value: "20261231"))
        XCTAssertEqual(value(vevent, "DTEND"), ContentLine(name: "DTEND", parameters: ["VALUE": "DATE"], value: "20270102"),
                       "DTEND of an all-day event is the day after its last day")
        XCTAssertEqual(value(vevent, "STATUS")?.value, "CONFIRMED")
        XCTAssertNil(value(vevent, "LOCATION"))

        var undated = EventDraft(title: "未定")
        undated.city = "上海"
        let plan = try store.addEvent(undated)
        XCTAssertThrowsError(try store.icalendar(plan.id)) { error in
            XCTAssertEqual(error as? EventError, .noStart(id: plan.id, purpose: "a calendar entry needs one"))
        }
    }

    func testFoldingNeverSplitsACharacter() {
        // Every length from 1 to 200 octets of mixed 1-, 2-, 3- and 4-byte characters.
        let alphabet: [Character] = ["a", "é", "中", "🎉", "文", ",", "\\"]
        var text = ""
        for index in 0..<200 {
            text.append(alphabet[index % alphabet.count])
            var writer = ICalendarWriter()
            writer.text("SUMMARY", text)
            let lines = Self.parse(Array(writer.text.utf8))
            XCTAssertEqual(lines.count, 1)
            XCTAssertEqual(Self.unescape(lines[0].value), text)
        }
        XCTAssertEqual(ICalendarWriter.escape("a\r\nb\tc;d,e\\f"), "a\\nb c\\;d\\,e\\\\f")
    }
}
