import QunCore

/// An operations task (运营任务), as materialised from its changes. Named `TaskItem` so that
/// it never shadows Swift concurrency's `Task`.
///
/// Three kinds share the collection: plain tasks, recurrence templates (`recur` set: the
/// routine itself, e.g. the daily morning post) and instances generated from a template
/// (`template` and `date` set). An instance shows its template's title, assignee, priority,
/// tags and time of day unless it has its own value.
public struct TaskItem: Sendable, Equatable {
    /// The record id (32 hex characters). Instances have ids derived from template and day.
    public var id: String
    public var title: String
    /// An operator name.
    public var assignee: String?
    /// `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`, local time.
    public var due: String?
    /// Never nil: a task without a status is to do.
    public var status: Status
    public var priority: Priority?
    public var tags: [String]
    /// Id of the event this task belongs to (run-sheet), as given.
    public var event: String?
    /// Days relative to the event's start day, for run-sheet tasks (-3: three days before).
    public var offset: Int?
    /// Number of annotations (`task log`).
    public var notesCount: Int
    /// On a template: how it repeats.
    public var recur: Recurrence?
    /// On a template: the last day an instance may fall on.
    public var until: String?
    /// On an instance: its template's id.
    public var template: String?
    /// On an instance: the day it stands for.
    public var date: String?
    /// The day `done` was given, `YYYY-MM-DD`.
    public var completed: String?
    /// Milliseconds since 1970 of the task's first change (the same on every replica).
    public var created: Int64
    public var deleted: Bool

    public init(id: String, title: String, assignee: String? = nil, due: String? = nil, status: Status = .todo,
                priority: Priority? = nil, tags: [String] = [], event: String? = nil, offset: Int? = nil,
                notesCount: Int = 0, recur: Recurrence? = nil, until: String? = nil, template: String? = nil,
                date: String? = nil, completed: String? = nil, created: Int64 = 0, deleted: Bool = false) {
        self.id = id
        self.title = title
        self.assignee = assignee
        self.due = due
        self.status = status
        self.priority = priority
        self.tags = tags
        self.event = event
        self.offset = offset
        self.notesCount = notesCount
        self.recur = recur
        self.until = until
        self.template = template
        self.date = date
        self.completed = completed
        self.created = created
        self.deleted = deleted
    }

    public var shortID: String { String(id.prefix(8)) }

    public var isTemplate: Bool { recur != nil && template == nil }
    public var isInstance: Bool { template != nil }
    /// Done and dropped tasks are closed: `next` and the default list leave them out.
    public var isOpen: Bool { status == .todo || status == .doing }

    /// The due day without its time.
    public var dueDay: CalendarDay? { due.flatMap { LocalDate($0)?.day } }

    public enum Status: String, CaseIterable, Sendable {
        case todo, doing, done, dropped
    }

    public enum Priority: String, CaseIterable, Sendable {
        case high = "H", medium = "M", low = "L"
    }

    public enum Recurrence: String, CaseIterable, Sendable {
        case daily, weekly, monthly
    }

    /// The field names used in changes; others (the run-sheet, reports) rely on them.
    public enum Field: String, CaseIterable, Sendable {
        case title, assignee, due, status, priority, event, offset, recur, until, template, date, completed
    }

    public static let tagsField = "tags"
    public static let notesField = "notes"
}
