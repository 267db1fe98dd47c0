import Foundation
import QunCore

extension Store {
    /// An event as an iCalendar file (RFC 5545): one VEVENT, and a VTODO for each run-sheet
    /// task, so a calendar app shows the plan and its back-schedule.
    ///
    /// Times: an all-day event is written as DATE values (DTEND is the day after the last
    /// day, as the RFC wants). Times of day are stored as the organiser's local time and
    /// written in UTC, converted with `timeZone` (the laptop's, by default): UTC needs no
    /// VTIMEZONE block and every calendar app reads it the same way.
    ///
    /// UIDs are stable (`ID@qun`), so importing the file again updates the entry rather than
    /// duplicating it.
    public func icalendar(_ reference: String, timeZone: TimeZone = .current) throws -> String {
        let event = try event(reference)
        guard let start = event.start.flatMap({ LocalDate($0) }) else {
            throw EventError.noStart(id: event.id, purpose: "a calendar entry needs one")
        }
        let tasks = try runSheet(event.id)
        let stamp = ICalendarTime.utc(milliseconds: now())
        var ics = ICalendarWriter()
        ics.begin("VCALENDAR")
        ics.property("VERSION", "2.0")
        ics.property("PRODID", "-//qun//qun event export//EN")
        ics.property("CALSCALE", "GREGORIAN")
        ics.begin("VEVENT")
        ics.text("UID", "\(event.id)@qun")
        ics.property("DTSTAMP", stamp)
        let end = event.end.flatMap { LocalDate($0) }
        if start.time == nil {
            ics.property("DTSTART", ICalendarTime.date(start.day), parameters: [("VALUE", "DATE")])
            let last = end?.day ?? start.day
            ics.property("DTEND", ICalendarTime.date(max(last, start.day).adding(days: 1)), parameters: [("VALUE", "DATE")])
        } else {
            ics.property("DTSTART", ICalendarTime.utc(start, in: timeZone))
            if let end {
                // A whole-day end after a timed start ends at the close of that day.
                let closing = end.time == nil ? LocalDate(day: end.day.adding(days: 1), time: "00:00") : end
                ics.property("DTEND", ICalendarTime.utc(closing, in: timeZone))
            }
        }
        ics.text("SUMMARY", event.title)
        let location = [event.place, event.city].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
        if !location.isEmpty { ics.text("LOCATION", location) }
        let description = EventCalendarText.description(event)
        if !description.isEmpty { ics.text("DESCRIPTION", description) }
        ics.property("STATUS", event.phase == .draft ? "TENTATIVE" : "CONFIRMED")
        if let kind = event.kind { ics.text("CATEGORIES", kind.rawValue) }
        ics.end("VEVENT")
        for task in tasks {
            ics.begin("VTODO")
            ics.text("UID", "\(task.id)@qun")
            ics.property("DTSTAMP", stamp)
            ics.text("SUMMARY", task.title)
            if let due = task.due.flatMap({ LocalDate($0) }) {
                if due.time == nil {
                    ics.property("DUE", ICalendarTime.date(due.day), parameters: [("VALUE", "DATE")])
                } else {
                    ics.property("DUE", ICalendarTime.utc(due, in: timeZone))
                }
            }
            if let owner = task.assignee { ics.text("DESCRIPTION", "Owner: \(owner)") }
            ics.property("STATUS", EventCalendarText.status(task.status))
            if let priority = task.priority {
                ics.property("PRIORITY", priority == .high ? "1" : priority == .medium ? "5" : "9")
            }
            ics.text("RELATED-TO", "\(event.id)@qun")
            ics.end("VTODO")
        }
        ics.end("VCALENDAR")
        return ics.text
    }
}

/// Date and time values in iCalendar's basic format.
enum ICalendarTime {
    /// `20261212`.
    static func date(_ day: CalendarDay) -> String {
        String(format: "%04d%02d%02d", day.year, day.month, day.day)
    }

    /// A local day and time in `timeZone` as UTC: `20261212T060000Z`.
    static func utc(_ local: LocalDate, in timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let clock = (local.time ?? "00:00").split(separator: ":").compactMap { Int($0) }
        let components = DateComponents(year: local.day.year, month: local.day.month, day: local.day.day,
                                        hour: clock.first ?? 0, minute: clock.count > 1 ? clock[1] : 0)
        let date = calendar.date(from: components) ?? Date(timeIntervalSince1970: 0)
        return utc(milliseconds: Int64((date.timeIntervalSince1970 * 1000).rounded()))
    }

    /// `20261212T060000Z`.
    static func utc(milliseconds: Int64) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second],
                                            from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!, parts.second!)
    }
}

/// The human text of an exported event.
enum EventCalendarText {
    /// Purpose, target, rules and rewards, one per line.
    static func description(_ event: Event) -> String {
        var lines: [String] = []
        if let purpose = event.purpose { lines.append("Purpose 目的: \(purpose)") }
        if let target = event.target { lines.append("Target 目标: \(target) sign-ups") }
        if let rules = event.rules { lines.append("Rules 规则: \(rules)") }
        if let rewards = event.rewards { lines.append("Rewards 奖励: \(rewards)") }
        return lines.joined(separator: "\n")
    }

    static func status(_ status: TaskItem.Status) -> String {
        switch status {
        case .todo: return "NEEDS-ACTION"
        case .doing: return "IN-PROCESS"
        case .done: return "COMPLETED"
        case .dropped: return "CANCELLED"
        }
    }
}
