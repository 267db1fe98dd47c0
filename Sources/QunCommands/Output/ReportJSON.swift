import Foundation
import QunCore
import QunStore

/// The `--json` forms of `report ...`, `member checkin` and `member why`. Keys are stable
/// (documented in the README); absent values are `null`. Scores and rates are rounded to
/// four decimals so that two laptops holding the same changes print the same bytes.
enum ReportJSON {
    static func number(_ value: Double) -> JSON {
        .real((value * 10_000).rounded() / 10_000)
    }

    static func text(_ value: String?) -> JSON { value.map { .string($0) } ?? .null }

    static func int(_ value: Int?) -> JSON { value.map { .int(Int64($0)) } ?? .null }

    static func formula(_ formula: ActivityFormula) -> JSON {
        .object([
            ("half_life_days", number(formula.halfLifeDays)),
            ("message_daily_cap", .int(Int64(formula.messageDailyCap))),
            ("weights", .object(ActivityContribution.Kind.allCases.map { ($0.rawValue, number(formula.weight($0))) })),
        ])
    }

    /// `id`, `number`, `name`: how every report names a member.
    static func person(_ member: Member) -> [(String, JSON)] {
        [("id", .string(member.id)), ("name", .string(member.name)), ("number", text(member.number))]
    }

    static func pyramid(_ report: PyramidReport) -> JSON {
        .object([
            ("admins", .int(Int64(report.admins))),
            ("levels", .array(report.levels.map { level in
                .object([
                    ("count", .int(Int64(level.count))), ("guide", number(level.guide)),
                    ("role", .string(level.role.rawValue)), ("share", number(level.share)),
                    ("text", .string(level.verdictText)), ("verdict", .string(level.verdict.rawValue)),
                ])
            })),
            ("tolerance", number(PyramidReport.tolerance)),
            ("total", .int(Int64(report.total))),
            ("unclassified", .int(Int64(report.unclassified))),
        ])
    }

    static func leaderboard(_ report: LeaderboardReport, top: Int) -> JSON {
        .object([
            ("entries", .array(report.entries.map { entry in
                .object(person(entry.member) + [
                    ("contributions", .int(Int64(entry.contributions))), ("messages", .int(Int64(entry.messages))),
                    ("rank", .int(Int64(entry.rank))),
                    ("role", text(entry.member.role?.rawValue)), ("score", number(entry.score)),
                ])
            })),
            ("formula", formula(report.formula)),
            ("month", .string(report.month.description)),
            ("ranking", .string(report.ranking.rawValue)),
            ("reference", .string(report.reference.description)),
            ("scored", .int(Int64(report.scored))),
            ("top", .int(Int64(top))),
        ])
    }

    static func referrals(_ report: ReferralReport) -> JSON {
        func referred(_ item: ReferralReport.Referred) -> JSON {
            .object(person(item.member) + [
                ("chain", .array(item.chain.map { .string($0) })), ("depth", .int(Int64(item.depth))),
                ("referrer", text(item.member.referrer)),
            ])
        }
        return .object([
            ("members", .array(report.referred.map(referred))),
            ("referrers", .array(report.referrers.map { referrer in
                .object(person(referrer.member) + [
                    ("deleted", .bool(referrer.member.deleted)), ("direct", .int(Int64(referrer.direct))),
                ])
            })),
            ("warning_depth", .int(Int64(ReferralReport.warningDepth))),
            ("warnings", .array(report.warnings.map(referred))),
        ])
    }

    static func churn(_ report: ChurnReport) -> JSON {
        .object([
            ("months", .array(report.months.map { month in
                .object([
                    ("joined", .int(Int64(month.joined))), ("left", .int(Int64(month.left))),
                    ("month", .string(month.month.description)), ("quiet", .int(Int64(month.quiet))),
                ])
            })),
        ])
    }

    static func events(_ report: EventReport) -> JSON {
        .object([
            ("events", .array(report.events.map { event in
                .object([
                    ("attendance", .int(Int64(event.attendance))),
                    ("fill_rate", event.fillRate.map(number) ?? .null),
                    ("id", .string(event.id)), ("phase", .string(event.phase.rawValue)),
                    ("show_up_rate", event.showUpRate.map(number) ?? .null),
                    ("signups", .int(Int64(event.signups))), ("start", text(event.start)),
                    ("target", int(event.target)), ("title", .string(event.title)),
                ])
            })),
        ])
    }

    static func overdue(_ report: OverdueReport) -> JSON {
        func task(_ task: OverdueReport.Task) -> JSON {
            .object([
                ("days_late", .int(Int64(task.daysLate))), ("due", .string(task.due)), ("id", .string(task.id)),
                ("status", .string(task.status.rawValue)), ("title", .string(task.title)),
            ])
        }
        return .object([
            ("assignees", .array(report.groups.map { group in
                .object([
                    ("assignee", text(group.assignee)), ("count", .int(Int64(group.count))),
                    ("oldest", task(group.oldest)), ("tasks", .array(group.tasks.map(task))),
                ])
            })),
            ("today", .string(report.today.description)),
            ("total", .int(Int64(report.total))),
        ])
    }

    static func checkins(_ results: [CheckinResult]) -> JSON {
        .array(results.map { result in
            .object(person(result.member) + [
                ("checkins", .int(Int64(result.total))), ("day", .string(result.day.description)),
                ("note", text(result.note)),
            ])
        })
    }

    static func why(_ activity: MemberActivity) -> JSON {
        .object(person(activity.member) + [
            ("at", .string(activity.reference.description)),
            ("contributions", .array(activity.contributions.map { line in
                .object([
                    ("age_days", .int(Int64(line.ageDays))), ("day", .string(line.day.description)),
                    ("count", .int(Int64(line.count))), ("counted", .int(Int64(line.counted))),
                    ("detail", text(line.detail)), ("kind", .string(line.kind.rawValue)),
                    ("value", number(line.value)), ("weight", number(line.weight)),
                ])
            })),
            ("formula", formula(activity.formula)),
            ("score", number(activity.score)),
        ])
    }

    static func hours(_ report: HoursReport) -> JSON {
        func ints(_ values: [Int]) -> JSON { .array(values.map { .int(Int64($0)) }) }
        return .object([
            ("busiest", .array(report.busiest().map { slot in
                .object([("hour", .int(Int64(slot.hour))), ("messages", .int(Int64(slot.messages))),
                         ("weekday", .string(HoursReport.weekdayNames[slot.weekday]))])
            })),
            ("by_hour", ints(report.byHour)),
            ("by_weekday", ints(report.byWeekday)),
            ("from", .string(report.from.description)),
            ("grid", .array(report.counts.map(ints))),
            ("messages", .int(Int64(report.messages))),
            ("to", .string(report.to.description)),
            ("weekdays", .array(HoursReport.weekdayNames.map { .string($0) })),
        ])
    }

    static func quiet(_ report: QuietReport) -> JSON {
        .object([
            ("considered", .int(Int64(report.considered))),
            ("days", .int(Int64(report.days))),
            ("members", .array(report.entries.map { entry in
                .object(person(entry.member) + [
                    ("days_quiet", int(entry.daysQuiet)), ("last_seen", text(entry.lastSeen?.description)),
                    ("role", text(entry.member.role?.rawValue)), ("source", text(entry.source?.rawValue)),
                ])
            })),
            ("reference", .string(report.reference.description)),
        ])
    }

    static func growth(_ report: GrowthReport) -> JSON {
        .object([
            ("weeks", .array(report.weeks.map { week in
                .object([
                    ("active", .int(Int64(week.active))), ("joined", .int(Int64(week.joined))),
                    ("left", .int(Int64(week.left))), ("messages", .int(Int64(week.messages))),
                    ("week", .string(week.start.description)),
                ])
            })),
        ])
    }
}
