import Foundation
import GRDB
import QunCore

/// Which tasks `task list` shows. Every condition must hold. Dates are already resolved
/// (see `DateWords`) and compared by day: a task due today at 18:00 is due `today`.
public struct TaskFilter: Sendable, Equatable {
    public var assignee: String?
    /// Any of these; nil means the open ones (todo, doing) unless `includeClosed`.
    public var statuses: [TaskItem.Status]?
    public var priority: TaskItem.Priority?
    public var dueOn: CalendarDay?
    /// Due strictly before this day.
    public var dueBefore: CalendarDay?
    /// Due strictly after this day.
    public var dueAfter: CalendarDay?
    /// Open and due before `today`.
    public var overdue = false
    /// An event id or id prefix, as given.
    public var event: String?
    /// Recurrence templates with this recurrence; `recurAny` for every template.
    public var recur: TaskItem.Recurrence?
    public var recurAny = false
    /// Instances of this template id (or id prefix).
    public var template: String?
    public var withTags: [String] = []
    public var withoutTags: [String] = []
    /// Words that must each appear in the title (case-insensitive for Latin).
    public var words: [String] = []
    /// Shows done and dropped tasks and recurrence templates too.
    public var includeClosed = false
    public var includeDeleted = false
    /// The day `overdue` is measured against; this laptop's today when nil.
    public var today: CalendarDay?

    public init() {}

    /// Every task, deleted ones included: for tests and exports.
    public static var everything: TaskFilter {
        var filter = TaskFilter()
        filter.includeClosed = true
        filter.includeDeleted = true
        return filter
    }

    public func whereClause() -> RecordCondition {
        var query = RecordConditionBuilder(includeDeleted: includeDeleted)
        if let statuses {
            query.require("status IN (\(statuses.map { _ in "?" }.joined(separator: ", ")))", StatementArguments(statuses.map(\.rawValue)))
        } else if !includeClosed {
            query.require("status IN ('todo', 'doing')")
        }
        // Templates are the routine, not work to tick off: shown when asked for.
        if recurAny || recur != nil {
            query.require("recur IS NOT NULL AND template IS NULL")
            if let recur { query.require("recur = ?", [recur.rawValue]) }
        } else if !includeClosed {
            query.require("(recur IS NULL OR template IS NOT NULL)")
        }
        query.equal([("assignee", assignee), ("priority", priority?.rawValue)])
        if let dueOn { query.require("substr(due, 1, 10) = ?", [dueOn.description]) }
        if let dueBefore { query.require("substr(due, 1, 10) < ?", [dueBefore.description]) }
        if let dueAfter { query.require("substr(due, 1, 10) > ?", [dueAfter.description]) }
        if overdue {
            query.require("status IN ('todo', 'doing') AND substr(due, 1, 10) < ?",
                          [(today ?? CalendarDay.at(milliseconds: Store.systemClock())).description])
        }
        // An event or template id prefix, as given.
        for (column, value) in [("event", event), ("template", template)] {
            guard let lower = value?.lowercased() else { continue }
            query.require("\(column) >= ? AND \(column) < ?", [lower, lower + "g"])
        }
        query.tags(in: "task.tags", with: withTags, without: withoutTags)
        query.words(words, in: ["title"])
        return query.condition
    }
}

extension Store {
    /// Tasks matching `filter`, by due day (undated last), then id: the same order on every
    /// replica.
    public func tasks(_ filter: TaskFilter = TaskFilter()) throws -> [TaskItem] {
        try records(TaskItem.self, filter)
    }

    /// `task next`: open tasks (no templates) matching `filter`, most urgent first, then by
    /// due, then id.
    public func nextTasks(_ filter: TaskFilter = TaskFilter(), today: CalendarDay? = nil, limit: Int? = nil) throws -> [(task: TaskItem, urgency: Double)] {
        let today = today ?? localToday()
        var filter = filter
        if filter.statuses == nil { filter.includeClosed = false }
        let scored = try tasks(filter).filter { $0.isOpen && !$0.isTemplate }.map { ($0, TaskUrgency.score($0, today: today)) }
        let sorted = scored.sorted { a, b in
            if a.1 != b.1 { return a.1 > b.1 }
            let dueA = a.0.due ?? "~", dueB = b.0.due ?? "~"
            if dueA != dueB { return dueA < dueB }
            return a.0.id < b.0.id
        }
        return Array(sorted.prefix(limit ?? sorted.count)).map { (task: $0.0, urgency: $0.1) }
    }
}
