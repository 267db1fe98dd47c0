import Foundation
import QunStore
import XCTest

/// Date words resolved against a fixed today (never the real clock).
final class DateWordsTests: XCTestCase {
    /// 2026-11-25 is a Wednesday.
    let wednesday = CalendarDay(year: 2026, month: 11, day: 25)!

    private func resolve(_ word: String, today: CalendarDay? = nil) throws -> String {
        try DateWords.resolve(word, today: today ?? wednesday).description
    }

    func testNamedDays() throws {
        XCTAssertEqual(try resolve("today"), "2026-11-25")
        XCTAssertEqual(try resolve("Tomorrow"), "2026-11-26")
        XCTAssertEqual(try resolve("yesterday"), "2026-11-24")
        XCTAssertEqual(try resolve("明天"), "2026-11-26")
        XCTAssertEqual(try resolve("eow"), "2026-11-29", "end of week is the coming Sunday")
        XCTAssertEqual(try resolve("eow", today: CalendarDay(year: 2026, month: 11, day: 29)!), "2026-11-29", "on a Sunday, eow is today")
        XCTAssertEqual(try resolve("eom"), "2026-11-30")
        XCTAssertEqual(try resolve("eom", today: CalendarDay(year: 2028, month: 2, day: 3)!), "2028-02-29", "leap February")
    }

    func testWeekdaysAreTheNextSuchDayTodayExcluded() throws {
        XCTAssertEqual(try resolve("thu"), "2026-11-26")
        XCTAssertEqual(try resolve("fri"), "2026-11-27")
        XCTAssertEqual(try resolve("sun"), "2026-11-29")
        XCTAssertEqual(try resolve("mon"), "2026-11-30")
        XCTAssertEqual(try resolve("tue"), "2026-12-01")
        XCTAssertEqual(try resolve("wed"), "2026-12-02", "today is excluded: a week ahead")
        XCTAssertEqual(try resolve("Friday"), "2026-11-27")
    }

    func testRelativeOffsets() throws {
        XCTAssertEqual(try resolve("+3d"), "2026-11-28")
        XCTAssertEqual(try resolve("-7d"), "2026-11-18")
        XCTAssertEqual(try resolve("+2w"), "2026-12-09")
        XCTAssertEqual(try resolve("+1m"), "2026-12-25")
        XCTAssertEqual(try resolve("+40d"), "2027-01-04", "crosses the year")
        XCTAssertEqual(try resolve("+1m", today: CalendarDay(year: 2026, month: 1, day: 31)!), "2026-02-28", "clamped to the month's end")
    }

    func testExplicitDatesAndTimes() throws {
        XCTAssertEqual(try resolve("2026-12-01"), "2026-12-01")
        XCTAssertEqual(try resolve("2026-12-01T20:30"), "2026-12-01T20:30")
        XCTAssertEqual(try resolve("12-24"), "2026-12-24")
        XCTAssertEqual(try resolve("01-05"), "2027-01-05", "a passed MM-DD means next year")
        XCTAssertEqual(try resolve("11-25"), "2026-11-25", "today's MM-DD is today")
        XCTAssertEqual(try resolve("tomorrowT09:00"), "2026-11-26T09:00")
        XCTAssertEqual(try resolve("friT18:30"), "2026-11-27T18:30")
    }

    func testBadWordsNameTheWordAndListWhatIsAccepted() {
        for word in ["someday", "2026-02-30", "2026-13-01", "+3x", "3d", "todayT25:00", "", "12-32", "2026-12-01T9:00"] {
            XCTAssertThrowsError(try DateWords.resolve(word, today: wednesday, field: "due"), word) { error in
                let message = "\(error)"
                XCTAssertTrue(message.contains("'\(word)'"), "names the word: \(message)")
                XCTAssertTrue(message.contains("due"), "names the field: \(message)")
                XCTAssertTrue(message.contains("tomorrow") && message.contains("+3d") && message.contains("YYYY-MM-DD"),
                              "lists what is accepted: \(message)")
            }
        }
    }

    func testCalendarArithmeticRoundTrips() {
        var day = CalendarDay(year: 1999, month: 12, day: 25)!
        for _ in 0..<(366 * 4) {
            let next = day.adding(days: 1)
            XCTAssertEqual(CalendarDay(next.description), next)
            XCTAssertEqual(CalendarDay(daysSinceEpoch: next.daysSinceEpoch), next)
            XCTAssertEqual(day.days(to: next), 1)
            XCTAssertEqual(next.weekday, day.weekday % 7 + 1)
            day = next
        }
        XCTAssertEqual(CalendarDay(year: 1970, month: 1, day: 1)!.weekday, 4, "a Thursday")
        XCTAssertNil(CalendarDay(year: 2027, month: 2, day: 29))
    }

    func testTodayFollowsTheGivenTimeZone() {
        // 2026-11-25T23:30:00Z
        let milliseconds: Int64 = 1_795_649_400_000
        XCTAssertEqual(CalendarDay.at(milliseconds: milliseconds, in: TimeZone(identifier: "UTC")!).description, "2026-11-25")
        XCTAssertEqual(CalendarDay.at(milliseconds: milliseconds, in: TimeZone(identifier: "Asia/Shanghai")!).description, "2026-11-26")
        XCTAssertEqual(CalendarDay.at(milliseconds: milliseconds, in: TimeZone(identifier: "America/Los_Angeles")!).description, "2026-11-25")
    }
}
