import Foundation
import QunCore

extension Store {
    /// The content calendar as an iCalendar file (RFC 5545), written with the event export's
    /// `ICalendarWriter`: one VEVENT per live post.
    ///
    /// A routine is one VEVENT with a recurrence rule (`RRULE`), so a calendar app shows its
    /// days ahead too; a deleted instance is an `EXDATE` of it, and every other instance is an
    /// override of its day (same UID, `RECURRENCE-ID`) carrying that day's own time, title
    /// and whether it was posted. An instance whose routine is gone or no longer falls on its
    /// day stands alone. Times are written in UTC from `timeZone`, as events are; UIDs are
    /// stable (`ID@qun`), so importing again updates rather than duplicates.
    public func postsCalendar(timeZone: TimeZone = .current) throws -> String {
        let posts = try self.posts(.everything)
        let routines = Dictionary(posts.filter { $0.isRoutine && !$0.deleted }.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var allTemplates = TemplateFilter()
        allTemplates.includeDeleted = true
        let names = Dictionary(try templates(allTemplates).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let stamp = ICalendarTime.utc(milliseconds: now())
        // The routine an instance stands for a day of, with that day's start by the rule.
        func overridden(_ post: Post) -> (routine: Post, start: LocalDate)? {
            guard let routine = post.template.flatMap({ routines[$0] }), let first = routine.time,
                  let recur = routine.recur, let day = post.date.flatMap({ CalendarDay($0) }),
                  PostRecurrence.falls(on: day, first: first.day, recur: recur, until: routine.until.flatMap { CalendarDay($0) })
            else { return nil }
            return (routine, LocalDate(day: day, time: first.time))
        }

        var ics = ICalendarWriter()
        ics.begin("VCALENDAR")
        ics.property("VERSION", "2.0")
        ics.property("PRODID", "-//qun//qun content calendar//EN")
        ics.property("CALSCALE", "GREGORIAN")
        for post in posts where !post.deleted {
            guard let start = post.time else { continue }
            ics.begin("VEVENT")
            let parent = overridden(post)
            ics.text("UID", "\(parent?.routine.id ?? post.id)@qun")
            ics.property("DTSTAMP", stamp)
            if let parent { ics.property("RECURRENCE-ID", ICalendarTime.utc(parent.start, in: timeZone)) }
            ics.property("DTSTART", ICalendarTime.utc(start, in: timeZone))
            if post.isRoutine, let recur = post.recur {
                var rule = "FREQ=\(recur == .daily ? "DAILY" : "WEEKLY")"
                if let until = post.until.flatMap({ CalendarDay($0) }) {
                    rule += ";UNTIL=" + ICalendarTime.utc(LocalDate(day: until, time: start.time), in: timeZone)
                }
                ics.property("RRULE", rule)
                for skipped in posts where skipped.deleted && skipped.template == post.id {
                    if let day = overridden(skipped)?.start { ics.property("EXDATE", ICalendarTime.utc(day, in: timeZone)) }
                }
            }
            ics.text("SUMMARY", post.title)
            if let channel = post.channel { ics.text("LOCATION", channel) }
            let description = PostCalendarText.description(post, templateName: post.message.flatMap { names[$0] })
            if !description.isEmpty { ics.text("DESCRIPTION", description) }
            ics.property("STATUS", "CONFIRMED")
            if post.template != nil && parent == nil { ics.text("RELATED-TO", "\(post.template!)@qun") }
            ics.end("VEVENT")
        }
        ics.end("VCALENDAR")
        return ics.text
    }
}

/// The human text of an exported post.
enum PostCalendarText {
    /// Owner, message template and whether it was posted, one per line.
    static func description(_ post: Post, templateName: String?) -> String {
        var lines: [String] = []
        if let owner = post.owner { lines.append("Owner 负责: \(owner)") }
        if let message = post.message { lines.append("Template 话术: \(templateName ?? String(message.prefix(8)))") }
        if let done = post.done { lines.append("Posted 已发: \(done)") }
        return lines.joined(separator: "\n")
    }
}
