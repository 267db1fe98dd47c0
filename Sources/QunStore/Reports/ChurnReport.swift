import GRDB
import QunCore

/// Members coming and going, month by month (流失): how many joined, how many went quiet,
/// how many left.
///
/// `joined` counts by the member's joined date. Quiet and left count members whose status
/// is *now* quiet or left, in the month their `status` was last set (the clock stamp of the
/// winning edit, on the local calendar): a member who went quiet in March and came back in
/// April is not a March loss any more, and a member marked left twice counts once, in the
/// later month. Deleted members are not counted: deleting is for records made by mistake.
public struct ChurnReport: Sendable, Equatable {
    public struct Month: Sendable, Equatable {
        public var month: ReportMonth
        public var joined: Int
        public var quiet: Int
        public var left: Int
    }

    /// Oldest first, ending with the month of the reference day.
    public var months: [Month]
}

extension Store {
    /// The last `months` months up to and including the month of `today` (default today).
    public func churnReport(months: Int = 6, today: CalendarDay? = nil) throws -> ChurnReport {
        guard (1...120).contains(months) else {
            throw StoreError.invalidValue(field: "months", value: String(months), expected: "a number of months from 1 to 120")
        }
        let last = ReportMonth(today ?? self.localToday())
        // Stepping stops at the calendar's ends (1900, 2999): months it cannot reach are left
        // out rather than repeated.
        let range = Set((0..<months).map { last.adding(months: $0 - (months - 1)) }).sorted()
        var figures = Dictionary(uniqueKeysWithValues: range.map { ($0, ChurnReport.Month(month: $0, joined: 0, quiet: 0, left: 0)) })
        try database.read { db in
            for row in try Row.fetchAll(db, sql: "SELECT joined FROM member WHERE deleted = 0 AND joined IS NOT NULL") {
                guard let text = row[0] as String?, let day = CalendarDay(text.prefix(10)) else { continue }
                figures[ReportMonth(day)]?.joined += 1
            }
            let stamps = try Row.fetchAll(db, sql: """
                SELECT m.status, fv.hlc FROM member m
                JOIN field_value fv ON fv.record = m.record
                JOIN name f ON f.rowid = fv.field AND f.text = ?
                WHERE m.deleted = 0 AND m.status IN (?, ?)
                """, arguments: [Member.Field.status.rawValue, Member.Status.quiet.rawValue, Member.Status.left.rawValue])
            for row in stamps {
                let month = ReportMonth(CalendarDay.at(milliseconds: try row.required(1, of: "field_value", as: HLC.self).milliseconds))
                if try row.required(0, of: "member", as: String.self) == Member.Status.quiet.rawValue {
                    figures[month]?.quiet += 1
                } else {
                    figures[month]?.left += 1
                }
            }
        }
        return ChurnReport(months: range.map { figures[$0]! })
    }
}
