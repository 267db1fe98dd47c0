import GRDB
import QunCore

/// Which posts `post list` shows. Every condition must hold. Days compare by day: a post at
/// 20:00 today is due `today`.
public struct PostFilter: RecordFilter, Equatable {
    public var owner: String?
    public var channel: String?
    public var dueOn: CalendarDay?
    /// Due strictly before this day.
    public var dueBefore: CalendarDay?
    /// Due strictly after this day.
    public var dueAfter: CalendarDay?
    /// Instances of this routine id (or id prefix).
    public var template: String?
    /// Words that must each appear in the title (case-insensitive for Latin).
    public var words: [String] = []
    /// Shows posts already done, and the routines themselves, too.
    public var includeClosed = false
    public var includeDeleted = false

    public init() {}

    /// Every post, deleted ones included: for tests and exports.
    public static var everything: PostFilter {
        var filter = PostFilter()
        filter.includeClosed = true
        filter.includeDeleted = true
        return filter
    }

    public func whereClause() -> RecordCondition {
        var query = RecordConditionBuilder(includeDeleted: includeDeleted)
        // Done posts are history, routines the plan behind the instances: shown when asked for.
        if !includeClosed { query.require("done IS NULL AND (recur IS NULL OR template IS NOT NULL)") }
        query.equal([("owner", owner), ("channel", channel)])
        if let dueOn { query.require("substr(at, 1, 10) = ?", [dueOn.description]) }
        if let dueBefore { query.require("substr(at, 1, 10) < ?", [dueBefore.description]) }
        if let dueAfter { query.require("substr(at, 1, 10) > ?", [dueAfter.description]) }
        if let lower = template?.lowercased() { query.require("template >= ? AND template < ?", [lower, lower + "g"]) }
        query.words(words, in: ["title"])
        return query.condition
    }
}
